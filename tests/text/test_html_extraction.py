"""Main-content extraction from HTML pages (trafilatura) into headings and paragraphs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.text.document import Document
from bot.text.html import html_blocks
from bot.text.parsing import Block, parse_html
from bot.text.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]

_LOREM = (
    "The snow that kills on contact falls on Buenos Aires one summer night, and the few "
    "who survive it seal themselves in a house in Vicente López. "
)

PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>The Eternaut, a classic | Comics Review</title>
<meta property="og:title" content="The Eternaut, a classic">
</head><body>
<header><a href="/">Comics Review</a></header>
<nav><ul><li><a href="/news">News</a></li><li><a href="/reviews">Reviews</a></li>
<li><a href="/about">About the magazine</a></li></ul></nav>
<main><article>
<h1>The Eternaut, a classic</h1>
<p>{_LOREM}Juan Salvo tells the story to a writer who meets him by chance.<br>
A new line after a line break</p>
<h2>The story</h2>
<p>{_LOREM}They build suits that keep the snow off and go out to find others.</p>
<ul><li>Juan Salvo, an engineer who leads the survivors through the city.</li>
<li>Favalli, a physics teacher who understands the invasion first.</li></ul>
<h3>The cast, by issue</h3>
<table><tr><th>Character</th><th>First issue</th></tr>
<tr><td>Juan Salvo</td><td>1957</td></tr></table>
<pre><code>print("this code block is not prose")</code></pre>
<h2>The series</h2>
<p>{_LOREM}Netflix adapted it in 2025, with Ricardo Darín as Juan Salvo.</p>
</article></main>
<aside><h3>Most read</h3><p>Ten comics to read this summer, chosen by our editors.</p></aside>
<footer><p>Copyright 2025 Comics Review. All rights reserved.</p></footer>
</body></html>"""


def _text(document: Document) -> str:
    return " ".join(sentence.text for sentence in document.sentences)


def test_headings_stay_sections_and_boilerplate_is_dropped(tokenizer: Tokenizer) -> None:
    document = parse_html(PAGE, name="eternaut.html", tokenizer=tokenizer)
    assert document.title == "The Eternaut, a classic"
    assert [s.title for s in document.sections] == [
        "Introduction",
        "The story",
        "The cast, by issue",
        "The series",
    ]
    text = _text(document)
    for boilerplate in ("About the magazine", "Most read", "Ten comics", "All rights reserved"):
        assert boilerplate not in text
    assert "this code block is not prose" not in text


def test_paragraphs_list_items_and_table_rows(tokenizer: Tokenizer) -> None:
    document = parse_html(PAGE, name="eternaut.html", tokenizer=tokenizer)
    story = document.section(2)
    assert story.paragraphs[1] == (
        "Juan Salvo, an engineer who leads the survivors through the city.",
    )
    assert story.paragraphs[2] == (
        "Favalli, a physics teacher who understands the invasion first.",
    )
    assert document.section(3).paragraphs == (
        ("Character | First issue",),
        ("Juan Salvo | 1957",),
    )


def test_a_line_break_ends_a_sentence(tokenizer: Tokenizer) -> None:
    intro = parse_html(PAGE, name="eternaut.html", tokenizer=tokenizer).section(1)
    assert intro.sentences[-2:] == (
        "Juan Salvo tells the story to a writer who meets him by chance.",
        "A new line after a line break",
    )


def test_the_title_a_page_declares_wins_over_a_site_heading() -> None:
    page = PAGE.replace("<header>", "<header><h1>Comics Review</h1>").replace(
        "<h1>The Eternaut, a classic</h1>", "<h2>The Eternaut, a classic</h2>"
    )
    title, blocks = html_blocks(page)
    assert title == "The Eternaut, a classic"
    assert blocks[0] == Block("paragraph", blocks[0].text)  # the title is not also a section
    assert "Comics Review" not in " ".join(block.text for block in blocks)


def test_a_small_page_keeps_its_headings(tokenizer: Tokenizer) -> None:
    page = (
        "<nav><a href='/'>Home</a> <a href='/a'>About us</a></nav>"
        "<h1>Field notes</h1><p>We counted birds. Then we left.</p>"
        "<h2>Results</h2><p>There were nine.</p>"
        "<footer>Copyright, all rights reserved</footer>"
    )
    document = parse_html(page, name="notes.html", tokenizer=tokenizer)
    assert document.title == "Field notes"
    assert [s.title for s in document.sections] == ["Introduction", "Results"]
    assert document.section(1).sentences == ("We counted birds.", "Then we left.")
    assert document.section(2).sentences == ("There were nine.",)
    assert "Home" not in _text(document) and "Copyright" not in _text(document)


def test_a_bare_paragraph(tokenizer: Tokenizer) -> None:
    document = parse_html("<p>Too late.</p>", name="late.html", tokenizer=tokenizer)
    assert document.title == "late"
    assert document.section(1).sentences == ("Too late.",)


def test_a_declared_charset_does_not_decode_the_text_twice() -> None:
    page = (
        '<?xml version="1.0" encoding="iso-8859-1"?>'
        '<html><head><meta charset="iso-8859-1"></head><body>'
        "<p>Café, crème brûlée and jalapeño: the menu of a small place in Montréal.</p>"
        "</body></html>"
    )
    _, blocks = html_blocks(page)
    assert [block.text for block in blocks] == [
        "Café, crème brûlée and jalapeño: the menu of a small place in Montréal."
    ]


@pytest.mark.parametrize("page", ["", "   \n", "<html></html>", "<html><body></body></html>"])
def test_a_page_with_no_text_is_refused_in_one_line(tokenizer: Tokenizer, page: str) -> None:
    with pytest.raises(ArticleError, match=r"^empty\.html: no paragraphs to summarize"):
        parse_html(page, name="empty.html", tokenizer=tokenizer)


def test_extraction_never_touches_the_network() -> None:
    """Sockets refused from the start: importing trafilatura and extracting a page still work."""
    script = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('HTML extraction tried to reach the network')\n"
        "socket.socket.connect = socket.socket.connect_ex = refuse\n"
        "socket.getaddrinfo = socket.create_connection = refuse\n"
        "from bot.text.parsing import parse_html\n"
        "from bot.text.tokenizer import Tokenizer\n"
        "page = sys.stdin.read()\n"
        "document = parse_html(page, name='a.html', tokenizer=Tokenizer('english'))\n"
        "print('|'.join(section.title for section in document.sections))\n"
    )
    page = PAGE.replace("<head>", "<head><base href='https://example.com/'>")
    page = page.replace("</article>", "<img src='https://example.com/a.png'></article>")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        input=page,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[-1].strip() == "The series"


def test_the_console_on_a_text_article_does_not_load_the_html_extractor() -> None:
    script = (
        "import io, sys, contextlib\n"
        "from adapters.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main(['console', '--env-file', '/nonexistent/.env'])\n"
        "assert 'Netflix' in out.getvalue()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'trafilatura', 'lxml', 'breadability', 'justext', 'htmldate', 'courlan'}))\n"
        "print('bot.text.html' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["[]", "False"], result.stdout
