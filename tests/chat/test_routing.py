"""The command grammar end to end through the router, on the bundled article."""

from __future__ import annotations

import pytest

from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import (
    Ask,
    Help,
    Invalid,
    ListSections,
    LoadUrl,
    Overview,
    PickSection,
    UseArticle,
    clean_text,
    needs_admin,
    read_command,
)
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle


def ask(library: ChannelArticles, text: str) -> Reply:
    return handle(read_command(text), Request(channel="C1", user="U1"), library)


def test_whole_article(library: ChannelArticles) -> None:
    reply = ask(library, "/summary")
    assert reply.kind is Kind.OVERVIEW
    assert reply.title.startswith("Netflix’s Generative AI Leap")
    assert [b.heading for b in reply.blocks] == [
        "1. Introduction",
        "2. The Creative Renaissance: AI as an Artistic Force Multiplier",
        "3. Labor Tensions and the Ethics of Innovation",
        "4. Market Expansion and Strategic Advantage",
        "5. Shaping Global Standards in AI and Entertainment",
    ]
    document = library.article_for().document
    for block, section in zip(reply.blocks, document.sections, strict=True):
        (paragraph,) = block.paragraphs
        used = [s for s in section.sentences if s in paragraph]
        assert 1 <= len(used) <= 2
        assert paragraph == " ".join(used)
    assert not reply.private


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("/summary 2", 2),
        ("2", 2),
        ("/summary labor", 3),
        ("/Summary Labor", 3),
        ("market expansion", 4),
        ("/summary creative renaissance", 2),
        ("section 5", 5),
        ("#1", 1),
        ("intro", 1),
        ("labor-tensions-and-the-ethics-of-innovation", 3),
        ("summary: ethics", 3),
    ],
)
def test_one_section(library: ChannelArticles, text: str, number: int) -> None:
    reply = ask(library, text)
    assert reply.kind is Kind.SECTION
    section = library.article_for().document.section(number)
    (block,) = reply.blocks
    assert block.heading == f"{number}. {section.title}"
    (paragraph,) = block.paragraphs
    used = [s for s in section.sentences if s in paragraph]
    assert paragraph == " ".join(used)
    assert len(used) == min(3, len(section.sentences))


def test_section_summary_is_longer_than_its_overview(library: ChannelArticles) -> None:
    overview = ask(library, "").blocks[2].paragraphs[0]
    section = ask(library, "3").blocks[0].paragraphs[0]
    assert len(section) > len(overview)


def test_question_quotes_the_sarandos_sentence(library: ChannelArticles) -> None:
    reply = ask(library, "/summary what did Sarandos say?")
    assert reply.kind is Kind.ANSWER
    quotes = reply.blocks[0].quotes
    assert 1 <= len(quotes) <= 3
    best = quotes[0]
    assert "Ted Sarandos" in best.text
    assert best.section == 3
    assert best.citation == "Section 3: Labor Tensions and the Ethics of Innovation"
    assert [s.text for s in best.spans if s.marked] == ["Sarandos’s"]
    assert "*Sarandos’s*" in reply.plain_text()


def test_question_ranks_by_matching_words(library: ChannelArticles) -> None:
    quotes = ask(library, "advertising business doubling").blocks[0].quotes
    assert "anticipated doubling of its advertising business" in quotes[0].text
    assert {s.text for s in quotes[0].spans if s.marked} == {"doubling", "advertising", "business"}
    assert quotes[0].section == 4


def test_answers_are_at_most_three(library: ChannelArticles) -> None:
    assert len(ask(library, "Netflix AI").blocks[0].quotes) == 3


def test_no_match_lists_the_sections(library: ChannelArticles) -> None:
    reply = ask(library, "quantum chromodynamics")
    assert reply.kind is Kind.NOT_FOUND
    assert "quantum chromodynamics" in reply.title
    assert "3. Labor Tensions and the Ethics of Innovation" in reply.plain_text()
    assert reply.private


def test_only_stop_words_is_no_match(library: ChannelArticles) -> None:
    assert ask(library, "what is it?").kind is Kind.NOT_FOUND


def test_sections_and_help(library: ChannelArticles) -> None:
    listing = ask(library, "/summary sections")
    assert listing.kind is Kind.SECTIONS
    assert "4. Market Expansion and Strategic Advantage" in listing.plain_text()
    help_reply = ask(library, "help")
    assert help_reply.kind is Kind.HELP
    assert help_reply.private
    assert "/summary sections" in help_reply.plain_text()


@pytest.mark.parametrize("text", ["0", "-1", "999", str(10**30), "section 6"])
def test_sections_out_of_range(library: ChannelArticles, text: str) -> None:
    reply = ask(library, text)
    assert reply.kind is Kind.ERROR
    assert "sections 1 to 5" in reply.note
    assert len(reply.note) < 200


def test_huge_text_is_refused_politely(library: ChannelArticles) -> None:
    reply = ask(library, "word " * 20_000)
    assert reply.kind is Kind.ERROR
    assert "under 1,000 characters" in reply.note


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", Overview()),
        ("   ", Overview()),
        ("/summary", Overview()),
        ("/summary   sections", ListSections()),
        ("HELP", Help()),
        ("/summary 2", PickSection("2", 2)),
        ("/summary what did Sarandos say?", Ask("what did Sarandos say?")),
        ("\u200b/summary\u200f help\x00", Help()),
    ],
)
def test_grammar(text: str, command: object) -> None:
    assert read_command(text) == command


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("use", "`/summary use <name>`"),
        ("/summary load  ", "`/summary load <url>`"),
        ("x" * 1001, "under 1,000 characters"),
        ("x " * 3000, "under 1,000 characters"),
    ],
)
def test_mistakes_are_invalid_commands_with_a_note(
    library: ChannelArticles, text: str, note: str
) -> None:
    command = read_command(text)
    assert isinstance(command, Invalid) and note in command.note
    reply = handle(command, Request(), library)
    assert (reply.kind, reply.note) == (Kind.ERROR, command.note)


def test_only_load_needs_the_senders_role() -> None:
    assert needs_admin(read_command("load https://example.com/a"))
    assert read_command("load <https://example.com/a>") == LoadUrl("https://example.com/a")
    assert read_command("use notes") == UseArticle("notes")
    assert not any(needs_admin(read_command(t)) for t in ("use notes", "labor", "help", "load"))


def test_clean_text_drops_invisible_and_control_characters() -> None:
    assert clean_text("a\x00b\u200bc\u202ed\n\te") == "abcd e"
    assert clean_text("e\u0301") == "é"
