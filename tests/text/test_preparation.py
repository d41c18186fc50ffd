"""The preparation path gives the same documents, summaries and answers as the straightforward one.

``tests/reference_preparation.py`` keeps the straightforward path (line by
line, paragraph by paragraph, two reads for another language); here both read
the bundled article, the Spanish example and generated documents of many
shapes, and must agree on every title, section, paragraph and sentence, and so
on every summary and answer.
"""

from __future__ import annotations

import random
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.articles.options import Options
from bot.articles.prepared import prepare
from bot.sources.files import decode
from bot.sources.reader import Reader
from bot.text.document import Document
from bot.text.parsing import parse
from bot.text.tokenizer import LANGUAGES, Tokenizer
from tests import reference_preparation as reference

ROOT = Path(__file__).resolve().parents[2]
SPANISH = ROOT / "examples" / "articles" / "eternauta.es.md"

# Pieces of prose that test the rules: abbreviations, initials, money, quotes and
# parentheses (also left open, so that they would run on into the next line),
# ellipses, "etc.", URLs, other scripts, and Markdown's inline marks.
SENTENCES = (
    "The board met on Monday.",
    "Dr. Smith arrived at 9 a.m. and left early.",
    "It cost $4.50, i.e. almost nothing!",
    "Was it worth it?",
    "He said “stop. Now.” and walked away.",
    'She wrote "see the notes. They matter',
    'on the next line." Then silence.',
    "They bought apples, pears, etc. Later they ate them.",
    "The plan (drafted in May.) Was approved.",
    "Wait... what happened next?",
    "J. R. R. Tolkien wrote it in 1937.",
    "Visit https://example.com/a.b?c=d. It is free.",
    "A sentence with *emphasis*, **bold**, __strong__ and `code spans`.",
    "A [link](https://example.com) and an ![image](a.png) and a [ref][1].",
    "Tags <b>inside</b> text, and a < b > c comparison.",
    "Snake_case_names and 2*3*4 are not emphasis.",
    "Un párrafo en español. ¿Qué pasó después? ¡Nada!",
    "Ein Satz auf Deutsch. Noch einer, z. B. dieser.",
    "Une phrase en français. Encore une, etc. Fin.",
    "Ελληνικό κείμενο. Δεύτερη πρόταση;",
    "Текст українською. Ще одне речення.",
    "(An aside that never closes. It goes on",
    "and closes here.) Next one.",
    "Numbers like 3.14 and 1,000.5 stay whole.",
    "«Citas en comillas. Con punto.» Y sigue.",
    "Tabs\tand  double  spaces   inside.",
)
HEADINGS = (
    "Background",
    "The Creative Renaissance: AI as a Force Multiplier",
    "RESULTS AND DISCUSSION",
    "What Comes Next",
    "Una sección en español",
    "Notes",
)
LINE_BREAKS = ("\n", "\r\n", "\r", "\u2028", "\x0b", "\x0c", "\x1c", "\x85")


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def _wrapped(rng: random.Random, text: str) -> list[str]:
    words = text.split(" ")
    lines: list[str] = []
    while words:
        take = rng.randint(3, 12)
        lines.append(" ".join(words[:take]))
        words = words[take:]
    return lines


def text_document(seed: int, sections: int = 6) -> str:
    """A plain-text article: a paragraph a line, or blank-line separated wrapped blocks."""
    rng = random.Random(seed)
    wrapped = seed % 2 == 1
    lines = ["A Generated Article About Things"] if seed % 3 else []
    for _ in range(sections):
        if rng.random() < 0.85:
            lines.append(rng.choice(HEADINGS))
            if wrapped:
                lines.append("")
        for _ in range(rng.randint(1, 4)):
            paragraph = _paragraph(rng, rng.randint(1, 6))
            if wrapped:
                lines.extend(_wrapped(rng, paragraph))
                lines.append("")
            else:
                lines.append(paragraph)
        if rng.random() < 0.2:
            lines.append("   ")
    text = "\n".join(rng.choice(("", " ", "\t")) + line + rng.choice(("", " ")) for line in lines)
    if seed % 4 == 0:
        text = text.replace("\n", rng.choice(LINE_BREAKS))
    if seed % 5 == 0:
        text = "\ufeff" + text
    return text + "\n"


def markdown_document(seed: int, sections: int = 6) -> str:
    """A Markdown article: headings, wrapped paragraphs, lists, quotes, fences and rules."""
    rng = random.Random(seed)
    lines = ["# A Generated Article" if seed % 3 else "A Generated Article", ""]
    if seed % 3 == 0:
        lines.insert(1, "=" * rng.randint(1, 30))
    for _ in range(sections):
        style = rng.random()
        heading = rng.choice(HEADINGS)
        if style < 0.6:
            lines += [f"{'#' * rng.randint(1, 6)} {heading}{rng.choice(('', ' ##', ' #  '))}", ""]
        elif style < 0.8:
            lines += [heading, rng.choice(("---", "===", "  ----  ")), ""]
        for _ in range(rng.randint(1, 5)):
            shape = rng.random()
            paragraph = _paragraph(rng, rng.randint(1, 5))
            if shape < 0.45:
                lines += _wrapped(rng, paragraph)
            elif shape < 0.6:
                lines += [rng.choice(("- ", "* ", "+ ", "1. ", "12) ", "  - ")) + paragraph]
            elif shape < 0.7:
                lines += ["> " + line for line in _wrapped(rng, paragraph)]
            elif shape < 0.78:
                fence = rng.choice(("```", "~~~", "   ```python"))
                lines += [fence, "code. With Dots. # not a heading", "", "- nor a list", fence]
            elif shape < 0.84:
                lines += [rng.choice(("---", "***", "_ _ _", "    ", "* * *"))]
            elif shape < 0.9:
                lines += [paragraph, rng.choice(("---", "==="))]  # a setext heading
            else:
                lines += [rng.choice(("    ", "", "\t")) + paragraph + rng.choice(("", "  "))]
            lines.append(rng.choice(("", "", " ", "\t")))
    if seed % 7 == 0:
        lines.append("```")  # a fence left open
        lines.append("Text after an open fence.")
    text = "\n".join(lines)
    if seed % 4 == 0:
        text = text.replace("\n", rng.choice(LINE_BREAKS))
    return text + "\n"


def _both(
    text: str, kind: str, language: str = "english", name: str = "generated"
) -> tuple[Document, Document]:
    tokenizer = Tokenizer(language)
    expected = reference.parse(text, kind=kind, name=name, tokenizer=tokenizer)
    return parse(text, kind=kind, name=name, tokenizer=tokenizer), expected


def _same(found: Document, expected: Document) -> None:
    assert found.title == expected.title
    assert found.language == expected.language
    assert [s.title for s in found.sections] == [s.title for s in expected.sections]
    for ours, theirs in zip(found.sections, expected.sections, strict=True):
        assert ours.paragraphs == theirs.paragraphs, ours.title
    assert found == expected


def _same_answers(found: Document, expected: Document) -> None:
    """Every summary, overview and answer (the sentences themselves) agree."""
    ours = prepare("a", found, Options())
    theirs = prepare("a", expected, Options())
    for mine, other in zip(found.sections, expected.sections, strict=True):
        assert ours.summary(mine) == theirs.summary(other)
        assert ours.overview(mine) == theirs.overview(other)
    for question in ("what did Sarandos say", "board met", "español", "link image"):
        assert [h.sentence for h in ours.index.search(question)] == [
            h.sentence for h in theirs.index.search(question)
        ]


def test_bundled_article_is_read_the_same() -> None:
    data = resources.files("bot").joinpath("data", "netflix-generative-ai-leap.txt").read_bytes()
    text = decode(data, "bundled")
    found, expected = _both(text, "text", name="netflix-generative-ai-leap.txt")
    _same(found, expected)
    _same_answers(found, expected)
    assert Reader().bundled().document == expected


@pytest.mark.parametrize("name", ["eternauta.es.md", "eternauta.md"])
def test_spanish_example_is_read_the_same(tmp_path: Path, name: str) -> None:
    path = tmp_path / name  # without ".es" the language is detected
    shutil.copy(SPANISH, path)
    found = Reader().file(path).document

    def read(tokenizer: Tokenizer) -> Document:
        text = decode(path.read_bytes(), str(path))
        return reference.parse(text, kind="markdown", name=str(path), tokenizer=tokenizer)

    expected = reference.read_in_language(read, "spanish" if ".es." in name else "auto")
    assert expected.language == "spanish"
    _same(found, expected)
    _same_answers(found, expected)


@pytest.mark.parametrize("seed", range(40))
def test_generated_text_is_read_the_same(seed: int) -> None:
    _same(*_both(text_document(seed), "text"))


@pytest.mark.parametrize("seed", range(40))
def test_generated_markdown_is_read_the_same(seed: int) -> None:
    _same(*_both(markdown_document(seed), "markdown"))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_language_splits_the_same(language: str) -> None:
    for seed in range(3):
        _same(*_both(markdown_document(seed, sections=12), "markdown", language))
        _same(*_both(text_document(seed, sections=12), "text", language))


def test_a_long_document_gives_the_same_summaries_and_answers() -> None:
    text = "\n".join(markdown_document(seed, sections=10) for seed in range(30))
    found, expected = _both(text, "markdown")
    _same(found, expected)
    _same_answers(found, expected)


def _files_in(folder: Path, seeds: range, language_named: bool) -> list[Path]:
    paths = []
    for seed in seeds:
        if seed % 4 == 0:
            continue  # control characters as line breaks read as a binary file
        rng = random.Random(seed)
        spanish = " ".join(s for s in SENTENCES if "español" in s or "Citas" in s) + " "
        body = markdown_document(seed) if seed % 2 else text_document(seed)
        if seed % 3 == 0:  # mostly Spanish: detected as such
            body = "\n".join(spanish * 8 if line.strip() else line for line in body.splitlines())
        suffix = ".md" if seed % 2 else ".txt"
        code = rng.choice(("", ".de", ".es")) if language_named else ""
        path = folder / f"doc{seed}{code}{suffix}"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("language", ["auto", "english", "german"])
def test_files_are_read_in_the_same_language(tmp_path: Path, language: str) -> None:
    reader = Reader(language=language)
    for path in _files_in(tmp_path, range(16), language_named=language == "auto"):
        kind = "markdown" if path.suffix == ".md" else "text"
        named = reference_language(path.name)

        def read(tokenizer: Tokenizer, path: Path = path, kind: str = kind) -> Document:
            text = decode(path.read_bytes(), str(path))
            return reference.parse(text, kind=kind, name=str(path), tokenizer=tokenizer)

        expected = reference.read_in_language(read, named or language)
        _same(reader.file(path).document, expected)


def reference_language(name: str) -> str | None:
    codes = {code: language for language, code in LANGUAGES.items()}
    parts = name.split(".")
    return codes.get(parts[-2]) if len(parts) > 2 else None


# Lines built from the characters the rules look at, in any order.
_PIECES = [*'ab AZ.!?"“”«»()[]<>`*_#=-+~>1\t\u00a0é', "etc. ", "Dr. ", "**", "](x)", "Hi. "]
_LINE = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=25), st.sampled_from(["text", "markdown"]))
def test_any_lines_are_read_the_same(lines: list[str], kind: str) -> None:
    text = "\n".join(lines)
    try:
        expected = reference.parse(text, kind=kind, name="x.md", tokenizer=Tokenizer())
    except Exception as error:  # the same error, then
        with pytest.raises(type(error), match=re.escape(str(error))):
            parse(text, kind=kind, name="x.md", tokenizer=Tokenizer())
        return
    except BaseException as error:  # sentencex panicked: the bot reads on
        assert type(error).__name__ == "PanicException"
        _within_lines(parse(text, kind=kind, name="x.md", tokenizer=Tokenizer()), text)
        return
    _same(parse(text, kind=kind, name="x.md", tokenizer=Tokenizer()), expected)


# Markdown lines: markup at the start (fences, headings, underlines, rules, list
# items, quotes) and inline marks with only one of * and _ (or both) after it.
_OPENERS = [
    "",
    "",
    "- ",
    "* ",
    "1. ",
    "# ",
    "## x #",
    "---",
    "===",
    "-",
    "- - -",
    "***",
    "```",
    "> ",
]
_MARKED = st.lists(st.sampled_from([*"ab .*_`[]()!<>", "**", "__", "](x)", "Hi. "]), max_size=20)
_MARKDOWN_LINE = st.tuples(st.sampled_from(_OPENERS), _MARKED.map("".join)).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKDOWN_LINE, max_size=25))
def test_any_markdown_lines_are_read_the_same(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        expected = reference.parse(text, kind="markdown", name="x.md", tokenizer=Tokenizer())
    except Exception as error:  # the same error, then
        with pytest.raises(type(error), match=re.escape(str(error))):
            parse(text, kind="markdown", name="x.md", tokenizer=Tokenizer())
        return
    except BaseException as error:  # sentencex panicked: the bot reads on
        assert type(error).__name__ == "PanicException"
        return
    _same(parse(text, kind="markdown", name="x.md", tokenizer=Tokenizer()), expected)


@pytest.mark.parametrize(
    "line",
    [
        "a*b* and *c* and 2*3*4 and * d * and **e** and ***f***.",
        "a_b_ and _c_ and x_y_z and _ d _ and __e__ and ___f___.",
        "Both: *a* _b_ **c** __d__ a*b* a_b_ **x __y** z__.",
        "Code `a*b*` and [a *link*](x) and ![an _image_](y) and <b>tags</b>.",
    ],
)
def test_emphasis_of_one_kind_is_read_the_same(line: str) -> None:
    """Lines with only * or only _ are read by the patterns for that mark alone."""
    for text in (f"# T\n\n{line}\n", f"# T\n\n- {line}\n\n{line}\n---\n\n-\n\n{line}\n"):
        found, expected = _both(text, "markdown")
        _same(found, expected)


def test_the_benchmark_markdown_is_read_the_same() -> None:
    """The bench's Markdown article (lists, emphasis, code and links in real prose)."""
    from bench.corpus import markdown_article

    text = markdown_article(60_000)
    found, expected = _both(text, "markdown")
    assert len(found.sections) > 10
    _same(found, expected)


def _within_lines(document: Document, text: str) -> None:
    lines = text.splitlines()
    for sentence in document.sentences:
        assert sentence.text and any(sentence.text in line for line in lines)


def test_a_line_sentencex_fails_on_is_still_split() -> None:
    """sentencex panics on a capital, a no-break space and a full stop; the bot reads on."""
    text = "# Notes\n\nThe plan was set. Z\u00a0. Then it changed. Later on it ended.\n"
    document = parse(text, kind="markdown", name="x.md", tokenizer=Tokenizer())
    assert [s.text for s in document.sentences] == [
        "The plan was set.",
        "Z\u00a0.",
        "Then it changed.",
        "Later on it ended.",
    ]


@pytest.mark.parametrize("language", ["english", "spanish", "german", "greek", "arabic"])
def test_batches_split_real_prose_as_line_by_line(language: str) -> None:
    """All of Python's reference topics (465 KB, read by sentencex in parts): one line at a time."""
    from pydoc_data.topics import topics

    from bot.text.sentences import line_sentences, split_paragraphs

    code = LANGUAGES[language]
    lines = [line for text in topics.values() for line in text.splitlines()]
    found = split_paragraphs(code, lines)
    assert sum(map(len, found)) > 10_000
    assert found == [line_sentences.__wrapped__(code, line) for line in lines]


# Lines of plain ASCII with list-like and sentence-like pieces (a sentence end mostly
# last): those read as one sentence without sentencex must be what sentencex reads.
_PLAIN_PIECES = [
    *"ab AZ,'\"(-*_#=+~>1\t$%&/@[]{}<>`\\^|",
    "Dr ",
    "e g ",
    "U S ",
    "(1 ",
    "ii ",
    ": ",
    "Note: A",
]
_PLAIN_LINE = st.tuples(
    st.lists(st.sampled_from([*_PLAIN_PIECES, "- ", "* ", "1 ", "a "]), min_size=1, max_size=25),
    st.sampled_from(["", ".", "!", "?", ". x", ":", ";", ")", "é", "\x1f"]),
).map(lambda parts: "".join(parts[0]) + parts[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PLAIN_LINE.filter(str.strip), min_size=1, max_size=30))
def test_lines_of_one_sentence_are_read_as_sentencex_reads_them(lines: list[str]) -> None:
    from bot.text.sentences import line_sentences, split_paragraphs

    for code in LANGUAGES.values():
        found = split_paragraphs(code, lines)
        assert found == [line_sentences.__wrapped__(code, line) for line in lines], code


def test_lines_cut_at_items_without_a_sentence_end_inside() -> None:
    """sentencex cuts some lines with no sentence end inside: before "(7)" in "(6) (7) .",
    and in German before "(b)" in "(b)\t(b)  U1(b)"; read in batches, they are cut the same."""
    from bot.text.sentences import line_sentences, split_paragraphs

    for code, lines in (("en", ["(6) (7) .", "A table | (1) | x |."]), ("de", ["(b)\t(b)  U1(b)"])):
        found = split_paragraphs(code, lines)
        assert found == [line_sentences.__wrapped__(code, line) for line in lines]
    assert split_paragraphs("en", ["(6) (7) ."]) == [("(6)", "(7) .")]


def test_reading_pauses_the_collector_and_restores_it() -> None:
    import gc

    from bot.text.parsing import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a parser failed")
    assert gc.isenabled()


def _collections_after_reading() -> tuple[list[int], list[list[int]]]:
    """The collections that start right after a pause (and what it made)."""
    import gc

    from bot.text.parsing import collector_paused

    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    try:
        with collector_paused():
            made = [[index] for index in range(1000)]  # more than a young generation holds
            gc.callbacks.append(note)
        _ = [[index] for index in range(10)]
    finally:
        gc.callbacks.remove(note)
    return started, made


def test_what_reading_made_goes_to_the_oldest_generation_unless_objects_are_frozen() -> None:
    import gc

    if gc.get_freeze_count():
        pytest.skip("objects are frozen already")
    started, made = _collections_after_reading()
    assert started == []  # nothing young left to walk
    oldest = {id(found) for found in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in made)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # as the bot does once start-up is done
    try:
        frozen = gc.get_freeze_count()
        started, _ = _collections_after_reading()
        assert gc.get_freeze_count() > frozen - 100  # what was frozen stays frozen (less any freed)
        assert started  # and what reading made is collected as young objects are
    finally:
        gc.unfreeze()


def test_a_detecting_tokenizer_reads_in_the_language_it_finds() -> None:
    tokenizer = Tokenizer.detecting()
    assert tokenizer.detects and tokenizer.language == "english"
    assert repr(tokenizer) == "Tokenizer.detecting('english')"
    assert not Tokenizer("spanish").detects
    spanish = SPANISH.read_text(encoding="utf-8")
    document = parse(spanish, kind="markdown", name="eternauta.md", tokenizer=tokenizer)
    assert document.language == "spanish"
    assert document == parse(
        spanish, kind="markdown", name="eternauta.md", tokenizer=Tokenizer("spanish")
    )
    english = parse(
        text_document(1), kind="text", name="notes.txt", tokenizer=Tokenizer.detecting()
    )
    assert english.language == "english"
