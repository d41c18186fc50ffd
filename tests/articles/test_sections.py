"""One rule names a section: for `/summary labor`, `/summary 2` and autocomplete alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.discord.events import section_choices
from bot.articles.prepared import Unprepared
from bot.articles.sections import match_section, named_sections, section_by_number
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.errors import UserFacingError
from bot.sources.reader import Reader
from bot.text.document import Document

ROOT = Path(__file__).resolve().parents[2]
ETERNAUTA = ROOT / "examples" / "articles" / "eternauta.es.md"


@pytest.fixture(scope="module")
def unprepared(bundled: Document) -> Unprepared:
    return Unprepared("bundled", bundled)


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("labor", 3),
        ("Labor", 3),
        ("ethics", 3),
        ("market expansion", 4),
        ("creative renaissance", 2),
        ("intro", 1),
        ("labor-tensions-and-the-ethics-of-innovation", 3),
        ("shaping global standards in ai and entertainment", 5),
    ],
)
def test_words_name_one_section(unprepared: Unprepared, words: str, number: int) -> None:
    assert match_section(unprepared, words) == unprepared.document.section(number)


@pytest.mark.parametrize("words", ["ai", "the", "what did Sarandos say?", "nothing like it"])
def test_words_that_name_no_one_section(unprepared: Unprepared, words: str) -> None:
    assert match_section(unprepared, words) is None  # "ai" is in two titles


def test_numbers_name_sections_and_say_which_there_are(unprepared: Unprepared) -> None:
    assert section_by_number(unprepared, 2).title.startswith("The Creative Renaissance")
    with pytest.raises(UserFacingError, match="no section 6: this article has sections 1 to 5"):
        section_by_number(unprepared, 6)
    with pytest.raises(UserFacingError, match="no section that big"):
        section_by_number(unprepared, 10**9)


@pytest.mark.parametrize(
    "typed", ["labor", "ethics", "market expansion", "creative renaissance", "intro", "2", "#4"]
)
def test_autocomplete_offers_first_the_section_the_command_picks(
    library: ChannelArticles, typed: str
) -> None:
    reply = handle(read_command(f"/summary {typed}"), Request(), library)
    assert reply.kind is Kind.SECTION
    article = library.entry_for()
    (name, value), *_ = section_choices(article, typed)
    assert reply.blocks[0].heading == name
    assert handle(read_command(f"/summary {value}"), Request(), library).blocks == reply.blocks


def test_the_same_rule_prepared_or_not(library: ChannelArticles, unprepared: Unprepared) -> None:
    prepared = library.article_for()
    for typed in ["", "l", "lab", "labor", "and", "market strategy", "3", "ai"]:
        assert named_sections(prepared, typed) == named_sections(unprepared, typed)
        assert match_section(prepared, typed) == match_section(unprepared, typed)


def test_partly_typed_words_find_titles(unprepared: Unprepared) -> None:
    numbers = [s.number for s in named_sections(unprepared, "lab")]
    assert numbers == [3]
    assert [s.number for s in named_sections(unprepared, "and")] == [3, 4, 5]
    assert [s.number for s in named_sections(unprepared, "")] == [1, 2, 3, 4, 5]
    assert named_sections(unprepared, "nothing like it") == ()


def test_spanish_titles_match_by_their_stems() -> None:
    article = Reader().file(ETERNAUTA)
    (section,) = [s for s in article.document.sections if "nevada" in s.title.lower()]
    assert match_section(article, "nevada mortal") == section
    assert named_sections(article, "nevada mortal")[0] == section
    assert named_sections(article, "introducción")[0].number == 1
