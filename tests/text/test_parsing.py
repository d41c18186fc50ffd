"""Parsing the bundled article, plain text, Markdown and HTML into sections."""

from __future__ import annotations

from importlib import resources

from bot.text.document import Document
from bot.text.parsing import parse_html, parse_markdown, parse_text
from bot.text.tokenizer import Tokenizer

TITLES = [
    "Introduction",
    "The Creative Renaissance: AI as an Artistic Force Multiplier",
    "Labor Tensions and the Ethics of Innovation",
    "Market Expansion and Strategic Advantage",
    "Shaping Global Standards in AI and Entertainment",
]


def test_bundled_article_has_five_sections(bundled: Document) -> None:
    assert bundled.title.startswith("Netflix’s Generative AI Leap: Redefining Creativity")
    assert [section.title for section in bundled.sections] == TITLES
    assert [section.number for section in bundled.sections] == [1, 2, 3, 4, 5]
    assert bundled.sections[0].untitled
    assert bundled.sections[2].slug == "labor-tensions-and-the-ethics-of-innovation"
    assert bundled.paragraph_count == 9


def test_no_sentence_crosses_a_line(bundled: Document) -> None:
    raw = resources.files("bot").joinpath("data/netflix-generative-ai-leap.txt").read_text()
    lines = raw.splitlines()
    for sentence in bundled.sentences:
        assert any(sentence.text in line for line in lines), sentence.text
    # Every paragraph line is covered by its sentences, in order.
    paragraphs = [" ".join(p) for s in bundled.sections for p in s.paragraphs]
    assert all(paragraph in lines for paragraph in paragraphs)
    assert len(bundled.sentences) == 27


def test_hard_wrapped_text_joins_a_paragraphs_lines(tokenizer: Tokenizer) -> None:
    text = (
        "Field Notes\n\n"
        "This paragraph is wrapped\nover two lines. It ends here.\n\n"
        "Second Part\n\n"
        "Another paragraph, also\nwrapped. Done.\n"
    )
    document = parse_text(text, name="notes.txt", tokenizer=tokenizer)
    assert document.title == "Field Notes"
    assert [s.title for s in document.sections] == ["Introduction", "Second Part"]
    assert document.sections[0].sentences == (
        "This paragraph is wrapped over two lines.",
        "It ends here.",
    )


def test_text_without_a_title_line_is_named_after_the_file(tokenizer: Tokenizer) -> None:
    document = parse_text("Just one sentence here.", name="/tmp/my-notes.txt", tokenizer=tokenizer)
    assert document.title == "my notes"
    assert document.sections[0].sentences == ("Just one sentence here.",)


def test_capitals_heading(tokenizer: Tokenizer) -> None:
    text = "Report\nIntro line.\nRESULTS.\nThe results were good."
    document = parse_text(text, name="r.txt", tokenizer=tokenizer)
    assert [s.title for s in document.sections] == ["Introduction", "RESULTS."]


def test_markdown(tokenizer: Tokenizer) -> None:
    text = (
        "# The Eternaut\n\n"
        "An *intro* with a [link](https://example.com).\n\n"
        "## Snowfall\n\nDeadly snow\nfalls on Buenos Aires. People hide.\n\n"
        "```\nnot = prose\n```\n\n"
        "Resistance\n----------\n\n- Juan Salvo leads.\n- Favalli helps.\n"
    )
    document = parse_markdown(text, name="e.md", tokenizer=tokenizer)
    assert document.title == "The Eternaut"
    assert [s.title for s in document.sections] == ["Introduction", "Snowfall", "Resistance"]
    assert document.sections[0].sentences == ("An intro with a link.",)
    assert document.sections[1].sentences == ("Deadly snow falls on Buenos Aires.", "People hide.")
    assert document.sections[2].paragraphs == (("Juan Salvo leads.",), ("Favalli helps.",))


HTML = """<html><head><title>Site | The Eternaut</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article>
<h1>The Eternaut</h1>
<p>A comic by Oesterheld, published from 1957. It became a classic.</p>
<h2>The story</h2>
<p>A deadly snowfall covers Buenos Aires, and survivors band together to resist.</p>
<p>Juan Salvo, his family and friends face an invasion, with courage and with fear.</p>
<h2>The series</h2>
<p>Netflix adapted it in 2025, with Ricardo Darín as Juan Salvo, to wide acclaim.</p>
</article>
<footer>Copyright, all rights reserved</footer>
</body></html>"""


def test_html_main_content(tokenizer: Tokenizer) -> None:
    document = parse_html(HTML, name="e.html", tokenizer=tokenizer)
    assert document.title == "The Eternaut"
    assert [s.title for s in document.sections] == ["Introduction", "The story", "The series"]
    assert document.sections[0].sentences[0] == ("A comic by Oesterheld, published from 1957.")
    assert len(document.sections[1].paragraphs) == 2
    everything = " ".join(s.text for s in document.sentences)
    assert "Copyright" not in everything
    assert "Home" not in everything
