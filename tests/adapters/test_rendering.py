"""The shared rendering kit: fitting escaped text, marking quotes, paging, and controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord import render as discord
from adapters.rendering import ELLIPSIS, Budget, Markup, paginate, shorten_plain
from adapters.slack import render as slack
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from tests.fakes import discord_limits
from tests.fakes.slack_limits import check_message

MARKUPS = [slack.MRKDWN, discord.MARKDOWN]
BUTTONS: dict[str, Any] = {
    "type": "actions",
    "elements": [{"type": "button", "text": {"type": "plain_text", "text": "More"}}],
}


def row(n: int) -> dict[str, Any]:
    """An action row with one button."""
    button = {"type": 2, "style": 1, "label": f"More {n}", "custom_id": f"more:{n}"}
    return {"type": 1, "components": [button]}


@dataclass(frozen=True)
class Item:
    name: str
    count: int = 1
    size: int = 10


def long_reply(blocks: int) -> Reply:
    paragraph = "words " * 400
    return Reply(Kind.OVERVIEW, "Title", tuple(Block(f"H{i}", (paragraph,)) for i in range(blocks)))


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("markup", MARKUPS)
@settings(max_examples=60, derandomize=True, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab <>&*_`@\n"), max_size=900))
def test_chunks_fit_escaped_and_keep_every_word(markup: Markup, text: str) -> None:
    chunks = markup.chunks(text, 50)
    assert all(len(markup.escape(chunk)) <= 50 for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@pytest.mark.parametrize("markup", MARKUPS)
def test_chunks_break_at_spaces(markup: Markup) -> None:
    chunks = markup.chunks("alpha beta gamma delta epsilon", 12)
    assert chunks == ["alpha beta", "gamma delta", "epsilon"]


def test_shorten_counts_the_escaped_form() -> None:
    assert slack.MRKDWN.shorten("a<b", 10) == "a&lt;b"
    shortened = slack.MRKDWN.shorten("<<<<<", 10)
    assert shortened == "&lt;&lt;…" and len(shortened) <= 10
    assert discord.MARKDOWN.shorten("**" * 10, 7) == "\\*\\*\\*…"
    assert shorten_plain("abcdef", 4) == "abc…"


@pytest.mark.parametrize(("markup", "bold"), [(slack.MRKDWN, "*"), (discord.MARKDOWN, "**")])
def test_a_quote_marks_its_matches_in_the_platforms_bold(markup: Markup, bold: str) -> None:
    quote = Quote((Span("Ted "), Span("Sarandos", marked=True), Span(" said.\nYes")), 1, "S")
    assert markup.marked(quote, 100) == f"Ted {bold}Sarandos{bold} said. Yes"


@pytest.mark.parametrize("markup", MARKUPS)
def test_a_long_quote_ends_with_an_ellipsis_and_never_half_a_match(markup: Markup) -> None:
    quote = Quote((Span("word " * 20), Span("match", marked=True)), 1, "S")
    marked = markup.marked(quote, 40)
    assert len(marked) <= 40 and marked.endswith(ELLIPSIS)
    assert "match" not in marked and not marked.endswith(" " + ELLIPSIS)
    cut_in_bold = Quote((Span("ab "), Span("x" * 50, marked=True), Span("tail")), 1, "S")
    assert markup.marked(cut_in_bold, 20) == "ab " + ELLIPSIS


# ---------------------------------------------------------------- pages


def test_pages_pack_in_order_within_the_budget() -> None:
    items = [Item(str(i), count=2, size=30) for i in range(7)]
    pages = paginate(items, Budget(count=4, size=100), 10, Item("cut"))
    assert [[item.name for item in page] for page in pages] == [
        ["0", "1"],
        ["2", "3"],
        ["4", "5"],
        ["6"],
    ]


def test_past_the_last_page_the_note_ends_it_and_pieces_make_room() -> None:
    items = [Item(str(i)) for i in range(9)]
    pages = paginate(items, Budget(count=3, size=100), 2, Item("cut"))
    assert [[item.name for item in page] for page in pages] == [["0", "1", "2"], ["3", "4", "cut"]]


def test_a_hard_limit_above_the_budget_takes_the_note_without_dropping() -> None:
    items = [Item(str(i)) for i in range(9)]
    pages = paginate(items, Budget(3, 100), 2, Item("cut"), limit=Budget(4, 100))
    assert [item.name for item in pages[-1]] == ["3", "4", "5", "cut"]


def test_controls_end_the_last_page_and_survive_a_cut() -> None:
    items = [Item(str(i)) for i in range(3)]
    pages = paginate(items, Budget(3, 100), 2, Item("cut"), Item("controls"))
    assert [[item.name for item in page] for page in pages] == [["0", "1", "2"], ["controls"]]
    many = [Item(str(i)) for i in range(9)]
    cut = paginate(many, Budget(3, 100), 2, Item("cut"), Item("controls"))
    assert [item.name for item in cut[-1]] == ["3", "cut", "controls"]


# ---------------------------------------------------------------- controls on replies


def test_slack_controls_end_the_last_message_within_50_blocks() -> None:
    for reply in (long_reply(1), long_reply(60)):
        messages = slack.render(reply, controls=[BUTTONS])
        assert messages[-1]["blocks"][-1] == BUTTONS
        assert all(BUTTONS not in m["blocks"] for m in messages[:-1])
        for message in messages:
            assert check_message(dict(message)).ok
            assert len(message["blocks"]) <= 50
    assert BUTTONS not in slack.render(long_reply(1))[0]["blocks"]


def test_slack_controls_on_a_cut_reply_follow_the_cut_note() -> None:
    replies = Reply(Kind.SECTIONS, "T", tuple(Block(f"H{i}") for i in range(400)))
    messages = slack.render(replies, controls=[BUTTONS])
    assert len(messages) == slack.MAX_MESSAGES
    last = messages[-1]["blocks"]
    assert last[-1] == BUTTONS
    assert last[-2]["elements"][0]["text"] == slack.escape(slack.CUT_NOTE)
    assert len(last) == 50


def test_discord_controls_ride_on_the_last_message() -> None:
    rows = [row(n) for n in range(7)]
    messages = discord.render(long_reply(30), controls=rows)
    assert len(messages) > 1
    assert all(message.components == () for message in messages[:-1])
    payload = messages[-1].to_payload()
    assert payload["components"] == rows[:5]
    assert "components" not in messages[0].to_payload()
    for message in messages:
        assert discord_limits.check_message(message.to_payload()) == []
