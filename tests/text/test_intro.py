"""The untitled first section: named in the article's language, or by its first words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.articles.library import Library
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.sources.reader import Reader
from bot.text.intro import INTRO_TITLES, first_words, is_intro_word
from bot.text.parsing import parse_html, parse_markdown, parse_text
from bot.text.tokenizer import LANGUAGES, Tokenizer

ROOT = Path(__file__).resolve().parents[2]
ETERNAUTA = ROOT / "examples" / "articles" / "eternauta.es.md"


def test_every_language_the_bot_reads_has_a_word_for_introduction() -> None:
    assert set(INTRO_TITLES) == set(LANGUAGES)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("spanish", "Introducción"),
        ("french", "Introduction"),
        ("german", "Einleitung"),
        ("portuguese", "Introdução"),
        ("italian", "Introduzione"),
        ("english", "Introduction"),
    ],
)
def test_the_introduction_is_named_in_the_articles_language(language: str, title: str) -> None:
    text = "# Title\n\nSome words before any heading.\n\n## Part\n\nMore words.\n"
    document = parse_markdown(text, name="a.md", tokenizer=Tokenizer(language))
    first = document.sections[0]
    assert (first.title, first.untitled, first.number) == (title, True, 1)
    assert document.sections[1].title == "Part"


def test_every_format_names_it_the_same_way() -> None:
    tokenizer = Tokenizer("german")
    text = parse_text("Titel\nEin Satz.\nTeil zwei\nNoch ein Satz.", tokenizer=tokenizer)
    page = "<h1>Titel</h1><p>Ein Satz.</p><h2>Teil</h2><p>Mehr.</p>"
    html = parse_html(page, tokenizer=tokenizer)
    assert text.sections[0].title == html.sections[0].title == "Einleitung"


def test_a_heading_with_the_same_name_gets_its_own_slug() -> None:
    text = "# T\n\nBefore.\n\n## Einleitung\n\nAfter.\n"
    document = parse_markdown(text, tokenizer=Tokenizer("german"))
    assert [s.slug for s in document.sections] == ["einleitung", "einleitung-2"]
    assert [s.untitled for s in document.sections] == [True, False]


def test_first_words() -> None:
    assert first_words("The study began in 2019 and lasted two years.") == (
        "The study began in 2019 and…"
    )
    assert first_words("Short and sweet.") == "Short and sweet"
    assert first_words("Six words, exactly six words here!") == "Six words, exactly six words here"


@pytest.mark.parametrize(
    "typed",
    ["intro", "Introduction", "introducción", "introduccion", "Einleitung", "introdução", "Úvod"],
)
def test_intro_words(typed: str) -> None:
    assert is_intro_word(typed)


@pytest.mark.parametrize("typed", ["section", "nevada", ""])
def test_other_words_are_not_intro_words(typed: str) -> None:
    assert not is_intro_word(typed)


@pytest.mark.parametrize("typed", ["intro", "introducción", "Introduccion", "introduction"])
def test_summary_intro_finds_the_spanish_introduction(typed: str) -> None:
    library = ChannelArticles(Library([Reader().file(ETERNAUTA)]))
    reply = handle(read_command(f"/summary {typed}"), Request(channel="C1", user="U1"), library)
    assert reply.kind is Kind.SECTION, reply.title
    assert reply.blocks[0].heading == "1. Introducción"


def test_too_little_text_to_tell_the_language_names_it_by_its_first_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notas.md"
    path.write_text("# Notas\n\nFuimos al río temprano.\n\n## Después\n\nVolvimos.\n")
    article = Reader().file(path)  # LANGUAGE=auto: five words are too few to tell
    first = article.document.sections[0]
    assert (first.title, first.slug, first.untitled) == (
        "Fuimos al río temprano",
        "fuimos-al-rio-temprano",
        True,
    )
    library = ChannelArticles(Library([article]))
    reply = handle(read_command("/summary intro"), Request(channel="C1", user="U1"), library)
    assert reply.blocks[0].heading == "1. Fuimos al río temprano"
    reply = handle(
        read_command("/summary fuimos al río temprano"), Request(channel="C1", user="U1"), library
    )
    assert reply.blocks[0].heading == "1. Fuimos al río temprano"


def test_a_language_that_is_set_names_it_even_in_a_short_article(tmp_path: Path) -> None:
    path = tmp_path / "notas.md"
    path.write_text("# Notas\n\nFuimos al río temprano.\n\n## Después\n\nVolvimos.\n")
    assert Reader(language="spanish").file(path).document.sections[0].title == "Introducción"
    named = tmp_path / "notas.es.md"
    named.write_text(path.read_text())
    assert Reader().file(named).document.sections[0].title == "Introducción"
