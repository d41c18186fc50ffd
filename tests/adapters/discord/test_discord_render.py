"""The Discord renderer: every reply fits Discord's limits, escaped, and split in order."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.bootstrap import build_library
from adapters.discord.render import (
    CUT_NOTE,
    MAX_MESSAGES,
    DiscordMessage,
    escape,
    neutralise_mentions,
    render,
)
from adapters.settings import Settings
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.chat.requests import Request
from bot.chat.routing import handle
from tests.corpus import CHAT_TEXT, LIVE_DISCORD_MENTIONS
from tests.fakes import discord_limits as limits

_ESCAPED = re.compile(r"\\([^A-Za-z0-9\s])")


@pytest.fixture(scope="module")
def library() -> ChannelArticles:
    return build_library(Settings())


def unescape(text: str) -> str:
    """What Discord shows for escaped text (roughly): no backslashes, no zero-width spaces."""
    return _ESCAPED.sub(r"\1", text).replace("\u200b", "")


def all_text(message: DiscordMessage) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts.extend((embed.get("title", ""), embed.get("description", "")))
    return "\n".join(parts)


def assert_valid(messages: list[DiscordMessage]) -> None:
    assert 1 <= len(messages) <= MAX_MESSAGES
    for message in messages:
        payload: dict[str, Any] = message.to_payload()
        assert limits.check_message(payload) == [], payload
        assert not limits.is_empty_message(payload)
        assert sum(limits.embed_size(e) for e in payload["embeds"]) <= limits.EMBEDS_TOTAL_MAX
        text = all_text(message)
        for live in LIVE_DISCORD_MENTIONS:
            assert live.lower() not in text.lower(), (live, text[:200])


def hostile_reply(text: str) -> Reply:
    """A reply with ``text`` in every place article or user text can reach."""
    quote = Quote((Span(text), Span(text, marked=True), Span(" tail")), 2, text)
    return Reply(
        Kind.ANSWER,
        text,
        (Block(text, (text, f"before {text} after")), Block(quotes=(quote,))),
        note=text,
    )


@pytest.mark.parametrize("text", CHAT_TEXT)
def test_hostile_text_in_every_field_stays_within_limits_and_pings_nobody(text: str) -> None:
    assert_valid(render(hostile_reply(text)))


@pytest.mark.parametrize("text", CHAT_TEXT)
def test_the_core_reply_to_hostile_text_renders_validly(
    text: str, library: ChannelArticles
) -> None:
    assert_valid(render(handle(read_command(text), Request(), library)))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from("@<>&!#*_~`|\\:\n everyoneher1"), max_size=7000))
def test_any_text_in_every_field_stays_within_limits_and_pings_nobody(text: str) -> None:
    assert_valid(render(hostile_reply(text)))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000))
def test_any_unicode_in_every_field_stays_within_limits(text: str) -> None:
    assert_valid(render(hostile_reply(text)))


def test_overview_has_the_title_as_content_and_an_embed_per_section(
    library: ChannelArticles,
) -> None:
    [message] = render(handle(read_command(""), Request(), library))
    article = library.article_for("").document
    assert message.content == f"**{escape(article.title)}**"
    titles = [embed["title"] for embed in message.embeds]
    assert titles == [escape(f"{s.number}. {s.title}") for s in article.sections]
    assert "/summary <section>" in message.embeds[-1]["description"]


def test_matched_words_are_bold_and_the_citation_follows_the_quote() -> None:
    quote = Quote((Span("Ted "), Span("Sarandos", marked=True), Span(" said *so*.")), 3, "Labor")
    [message] = render(Reply(Kind.ANSWER, "Title", (Block("On it", quotes=(quote,)),)))
    [embed] = message.embeds
    assert embed["title"] == "On it"
    assert embed["description"] == "> Ted **Sarandos** said \\*so\\*.\n*Section 3: Labor*"


def test_markdown_in_article_text_shows_as_written() -> None:
    text = "*bold* _it_ ~~s~~ ||spoiler|| [link](https://evil.example) a\\b"
    escaped = escape(text)
    assert "[link]" not in escaped and "||" not in escaped and "*bold*" not in escaped
    assert unescape(escaped) == text
    for line in ("# heading", "> quote", "-# subtext", "- item", "  > indented"):
        assert escape(line).lstrip().startswith("\\"), line
        assert unescape(escape(line)) == line


def test_code_spans_of_the_core_stay_code() -> None:
    assert escape("Try `/summary <number>` or `use a_b`.") == (
        "Try `/summary <number>` or `use a_b`."
    )
    assert escape("a ` lone tick") == "a \\` lone tick"


def test_mentions_get_a_zero_width_space() -> None:
    assert neutralise_mentions("@everyone @HERE <@123> <@!1> <@&2> <#3> </x:4>") == (
        "@\u200beveryone @\u200bHERE <\u200b@123> <\u200b@!1> <\u200b@&2> <\u200b#3> <\u200b/x:4>"
    )
    assert neutralise_mentions("mail me at bob@example.com") == "mail me at bob@example.com"


def test_a_reply_longer_than_6000_characters_is_split_in_order() -> None:
    words = [f"word{n}" for n in range(4000)]  # about 32,000 characters
    paragraphs = tuple(" ".join(words[i : i + 250]) for i in range(0, len(words), 250))
    blocks = tuple(Block(f"Part {n}", (p,)) for n, p in enumerate(paragraphs[:8]))
    reply = Reply(Kind.OVERVIEW, "Long", blocks, note="The end.")
    assert len(reply.plain_text()) > 6000

    messages = render(reply)

    assert_valid(messages)
    assert len(messages) > 1
    assert [m.content for m in messages] == [
        f"**Long** ({n}/{len(messages)})" for n in range(1, len(messages) + 1)
    ]
    shown = " ".join(unescape(e.get("description", "")) for m in messages for e in m.embeds)
    assert shown.split() == [*words[: 8 * 250], "The", "end."]
    titles = [e["title"] for m in messages for e in m.embeds if "title" in e]
    assert titles == [f"Part {n}" for n in range(8)]


def test_a_huge_paragraph_is_split_into_full_descriptions() -> None:
    text = ("Sarandos said *this* " * 10_000).strip()  # escaping makes it longer still
    messages = render(Reply(Kind.SECTION, "Big", (Block("One", (text,)),)), max_messages=100)
    assert_valid_unbounded(messages)
    descriptions = [e["description"] for m in messages for e in m.embeds]
    assert all(len(d) <= limits.EMBED_DESCRIPTION_MAX for d in descriptions)
    assert max(len(d) for d in descriptions) > 4000
    assert unescape(" ".join(descriptions)) == text


def assert_valid_unbounded(messages: list[DiscordMessage]) -> None:
    for message in messages:
        assert limits.check_message(message.to_payload()) == []


def test_past_max_messages_the_rest_is_cut_with_a_note() -> None:
    blocks = tuple(Block(f"Part {n}", ("x " * 2000,)) for n in range(40))
    messages = render(Reply(Kind.OVERVIEW, "Too long", blocks), max_messages=3)
    assert_valid(messages)
    assert len(messages) == 3
    assert messages[-1].embeds[-1]["description"] == escape(CUT_NOTE)


def test_long_titles_headings_and_quotes_are_shortened() -> None:
    long = "t" * 5000
    quote = Quote((Span("q" * 5000), Span("word", marked=True)), 1, long)
    reply = Reply(Kind.ANSWER, long, (Block(long, quotes=(quote,)),))
    [message] = render(reply)
    assert_valid([message])
    assert len(message.content) == limits.CONTENT_MAX
    assert message.content.endswith("…**")
    [embed] = message.embeds
    assert len(embed["title"]) == limits.EMBED_TITLE_MAX
    description = embed["description"]
    assert description.startswith("> qqq") and "…\n*Section 1: ttt" in description
    assert len(description) <= limits.EMBED_DESCRIPTION_MAX


def test_an_empty_reply_still_says_something() -> None:
    [message] = render(Reply(Kind.NOTICE, "  "))
    assert message == DiscordMessage("**Summary**", ())
