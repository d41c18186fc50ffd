"""Article files: encodings, formats and every way a file can be unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.sources.files import load_file
from bot.text.tokenizer import Tokenizer

ARTICLE = "Sample Title\nFirst paragraph. It has two sentences.\nA Heading\nMore text here."


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", ARTICLE.encode()),
        ("bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode()),
        ("utf16.txt", ARTICLE.encode("utf-16")),
        ("crlf.txt", ARTICLE.replace("\n", "\r\n").encode()),
        ("latin1.txt", (ARTICLE + " Café olé.").encode("latin-1")),
    ],
)
def test_encodings_and_line_endings(
    tokenizer: Tokenizer, tmp_path: Path, name: str, data: bytes
) -> None:
    document = load_file(_write(tmp_path, name, data), tokenizer)
    assert document.title == "Sample Title"
    assert [s.title for s in document.sections] == ["Introduction", "A Heading"]
    assert document.sections[0].sentences == ("First paragraph.", "It has two sentences.")


def test_latin1_text_is_decoded(tokenizer: Tokenizer, tmp_path: Path) -> None:
    data = "Título\nEl café está aquí. Olé.".encode("latin-1")
    document = load_file(_write(tmp_path, "es.txt", data), tokenizer)
    assert document.title == "Título"
    assert document.sections[0].sentences[0] == "El café está aquí."


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"   \n\n  \t\n", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("nul.txt", b"Title\nText\x00with a NUL.", "binary"),
        ("bad16.txt", b"\xff\xfe" + b"\x00\xd8", "not valid UTF-16"),
        ("headings.txt", b"Title\nOne\nTwo\nThree", "no paragraphs"),
        ("article.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_bad_files_get_one_line_errors(
    tokenizer: Tokenizer, tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(ArticleError) as caught:
        load_file(path, tokenizer)
    message = str(caught.value)
    assert problem in message
    assert name in message
    assert "\n" not in message


def test_missing_file(tokenizer: Tokenizer, tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        load_file(tmp_path / "nope.txt", tokenizer)


def test_folder(tokenizer: Tokenizer, tmp_path: Path) -> None:
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(ArticleError, match="is a folder"):
        load_file(folder, tokenizer)


def test_size_limit(tokenizer: Tokenizer, tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", ARTICLE.encode() * 100)
    with pytest.raises(ArticleError, match=r"over the 1,000-byte limit .*ARTICLE_MAX_BYTES"):
        load_file(path, tokenizer, max_bytes=1000)
    assert load_file(path, tokenizer, max_bytes=10**6).title == "Sample Title"


def test_one_sentence_file(tokenizer: Tokenizer, tmp_path: Path) -> None:
    document = load_file(_write(tmp_path, "one.txt", b"Only this sentence."), tokenizer)
    assert document.title == "one"
    assert document.sections[0].sentences == ("Only this sentence.",)


def test_ten_thousand_headings(tokenizer: Tokenizer, tmp_path: Path) -> None:
    lines = ["Big Manual"]
    for number in range(10_000):
        lines += [f"Heading {number}", f"Text of part {number}."]
    document = load_file(_write(tmp_path, "m.txt", "\n".join(lines).encode()), tokenizer)
    assert len(document.sections) == 10_000
    assert document.sections[-1].title == "Heading 9999"
