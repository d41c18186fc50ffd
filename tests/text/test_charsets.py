"""A page or HTML file read in the encoding it names: its <meta> tag, then its header."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bot.articles.library import Library
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.sources.files import load_file
from bot.sources.reader import Reader
from bot.sources.web_pages import Page, page_text_bytes
from bot.text.charsets import header_charset, meta_charset, to_utf8
from bot.text.tokenizer import Tokenizer
from tests.page_server import CYRILLIC_TEXT, CYRILLIC_TITLE, cyrillic_html

CYRILLIC = cyrillic_html().encode("windows-1251")


@pytest.mark.parametrize(
    ("html", "charset"),
    [
        (b'<html><head><meta charset="windows-1251">', "cp1251"),
        (b"<meta charset=koi8-r>", "koi8-r"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-5">', "iso8859-5"),
        (b'<meta charset="utf-16">', None),  # a tag found by an ASCII scan is not UTF-16
        (b'<meta charset="no-such-charset">', None),
        (b"<p>no tag at all</p>", None),
        (b"<p>" + b"x" * 5000 + b'<meta charset="cp1251">', None),  # too far down
    ],
)
def test_the_meta_tag(html: bytes, charset: str | None) -> None:
    assert meta_charset(html) == charset


def test_the_header() -> None:
    assert header_charset('text/html; charset="windows-1251"') == "cp1251"
    assert header_charset("text/html") is None


def test_the_tag_comes_before_the_header_and_a_bom_before_both() -> None:
    page = Page("https://example.org/ru.html", CYRILLIC, "text/html; charset=iso-8859-1")
    assert CYRILLIC_TEXT in page_text_bytes(page).decode("utf-8")
    text = Page("https://example.org/ru.txt", "Снег".encode("koi8-r"), "text/plain; charset=koi8-r")
    assert page_text_bytes(text).decode("utf-8") == "Снег"
    with_bom = codecs.BOM_UTF8 + "Снег".encode()
    assert to_utf8(with_bom, ["cp1251"]) == with_bom


def test_a_page_that_names_its_charset_only_in_a_tag_is_read_readable() -> None:
    article = Reader().page(Page("https://example.org/ru.html", CYRILLIC, "text/html"))
    assert article.document.title == CYRILLIC_TITLE
    assert CYRILLIC_TEXT.split(", ")[0] in " ".join(s.text for s in article.document.sentences)
    reply = handle(read_command("снег"), Request(), ChannelArticles(Library([article])).warm())
    assert "Ночью на город падал" in reply.plain_text()


def test_an_html_file_is_read_by_its_tag_too(tokenizer: Tokenizer, tmp_path: Path) -> None:
    path = tmp_path / "ru.html"
    path.write_bytes(CYRILLIC)
    document = load_file(path, tokenizer)
    assert document.title == CYRILLIC_TITLE
    assert "Ночью на город падал снег" in document.sections[0].sentences[0]
