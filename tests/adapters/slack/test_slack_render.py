"""The Slack renderer: Block Kit within Slack's limits, escaped, split when long."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.render import CUT_NOTE, SlackMessage, escape, render
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.chat.requests import Request
from bot.chat.routing import handle
from tests.corpus import CHAT_TEXT, LIVE_SLACK_MENTIONS
from tests.fakes.slack_limits import check_message, find_live_markup

BROKEN_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


def texts(message: SlackMessage) -> list[str]:
    """Every string Slack would show from ``message``: blocks and the fallback."""
    found = [message["text"]]
    for block in message["blocks"]:
        if block["type"] == "context":
            found.extend(element["text"] for element in block["elements"])
        else:
            found.append(block["text"]["text"])
    return found


def assert_safe(messages: list[SlackMessage]) -> None:
    assert messages
    for message in messages:
        check = check_message(dict(message))
        assert check.ok, check.problems
        for text in texts(message):
            assert find_live_markup(text) == [], text
            assert not any(live in text for live in LIVE_SLACK_MENTIONS), text
            assert not BROKEN_ENTITY.search(text), text


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def hostile_reply(text: str) -> Reply:
    quote = Quote((Span(text), Span(text, marked=True), Span(text)), 2, text)
    block = Block(text, (text, text), (quote,))
    return Reply(Kind.ANSWER, text, (block, block), note=text)


def ask(library: ChannelArticles, text: str) -> list[SlackMessage]:
    return render(handle(read_command(text), Request(channel="C1", user="U1"), library))


# ---------------------------------------------------------------- shape


def test_overview_has_a_header_and_a_section_per_summary_section(library: ChannelArticles) -> None:
    reply = handle(read_command("/summary"), Request(), library)
    [message] = render(reply)
    blocks = message["blocks"]
    title = library.article_for().document.title

    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": escape(title)}}
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(sections) == len(reply.blocks) == len(library.article_for().document.sections)
    for number, (text, block) in enumerate(zip(sections, reply.blocks, strict=True), 1):
        assert text.startswith(f"*{escape(block.heading)}*\n")
        assert block.heading.startswith(f"{number}. ")
        assert unescape(text).endswith(block.paragraphs[0])
    assert blocks[-1]["type"] == "context"
    assert "/summary &lt;section&gt;" in blocks[-1]["elements"][0]["text"]
    assert message["text"].startswith(escape(title))
    assert_safe([message])


def test_answer_quotes_are_bold_where_matched_and_cited(library: ChannelArticles) -> None:
    reply = handle(read_command("what did Sarandos say?"), Request(), library)
    assert reply.kind is Kind.ANSWER
    [message] = render(reply)
    blocks = message["blocks"]
    quotes = [
        i for i, b in enumerate(blocks) if b["type"] == "section" and b["text"]["text"][0] == ">"
    ]
    assert len(quotes) == len(reply.blocks[0].quotes) > 0
    for i, quote in zip(quotes, reply.blocks[0].quotes, strict=True):
        text = blocks[i]["text"]["text"]
        marked = [span.text for span in quote.spans if span.marked]
        assert all(f"*{escape(word)}*" in text for word in marked)
        assert unescape(text.replace("*", "")) == "> " + quote.text.replace("*", "")
        citation = blocks[i + 1]
        assert citation["type"] == "context"
        assert citation["elements"][0]["text"] == escape(quote.citation)
    assert "*Sarandos" in blocks[quotes[0]]["text"]["text"]  # the others may be its context
    assert escape(reply.blocks[0].quotes[0].text) in message["text"]
    assert_safe([message])


def test_help_and_section_replies_render(library: ChannelArticles) -> None:
    for text in ("help", "2", "sections", "999", "intro", "labor"):
        assert_safe(ask(library, text))
    [help_message] = ask(library, "help")
    assert "`/summary 2`" in help_message["blocks"][1]["text"]["text"]


def test_escape_shows_text_as_typed() -> None:
    assert escape("<!channel> & <@U123> <https://x|y>") == (
        "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x|y&gt;"
    )
    assert escape("&amp;") == "&amp;amp;"


# ---------------------------------------------------------------- hostile text


@pytest.mark.parametrize("text", CHAT_TEXT, ids=range(len(CHAT_TEXT)))
def test_corpus_through_the_core_is_safe(library: ChannelArticles, text: str) -> None:
    assert_safe(ask(library, text))


@pytest.mark.parametrize("text", CHAT_TEXT, ids=range(len(CHAT_TEXT)))
def test_corpus_in_every_field_is_safe(text: str) -> None:
    assert_safe(render(hostile_reply(text)))
    assert_safe(render(hostile_reply(f"{text} {'<!here> ' * 30}")))  # past the header limit


def test_question_with_mentions_is_echoed_escaped(library: ChannelArticles) -> None:
    messages = ask(library, "<!channel> <!here> <@U123> zzqx?")
    assert_safe(messages)
    shown = "\n".join(t for m in messages for t in texts(m))
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; zzqx?" in shown


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>&!@*_ ~`|\nab#U1"), max_size=4000))
def test_any_text_in_every_field_is_safe(text: str) -> None:
    assert_safe(render(hostile_reply(text)))


# ---------------------------------------------------------------- limits and splitting


def test_long_title_is_shortened_in_the_header_and_shown_whole() -> None:
    title = "Title & <b> " + "word " * 100
    [message] = render(Reply(Kind.SECTION, title, (Block("1. A", ("text",)),)))
    header = message["blocks"][0]["text"]["text"]
    assert len(header) <= 150 and header.endswith("…")
    assert message["blocks"][1]["text"]["text"] == f"*{escape(' '.join(title.split()))}*"
    assert_safe([message])


def test_long_paragraph_is_split_into_sections_without_losing_words() -> None:
    paragraph = " ".join(f"w{i}&<>" for i in range(3000))
    messages = render(Reply(Kind.SECTION, "T", (Block("1. Long", (paragraph,)),)), max_messages=9)
    sections = [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert len(sections) > 16
    assert all(len(text) <= 3000 for text in sections)
    joined = " ".join(unescape(text) for text in sections)
    assert joined == "*1. Long*\n" + paragraph
    assert_safe(messages)


def test_one_huge_word_is_cut_without_breaking_entities() -> None:
    word = "&" * 9000
    messages = render(Reply(Kind.SECTION, "T", (Block("", (word,)),)))
    sections = [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert "".join(unescape(text) for text in sections) == word
    assert_safe(messages)


def many_sections(count: int) -> Reply:
    blocks = tuple(Block(f"{n}. Part {n}", (f"Sentence {n}. " * 60,)) for n in range(1, count + 1))
    return Reply(Kind.OVERVIEW, "Big", blocks, note="the end")


def test_long_reply_is_split_across_messages_within_limits() -> None:
    reply = many_sections(60)
    messages = render(reply, max_messages=100)
    assert len(messages) > 1
    assert_safe(messages)
    headers = [m["blocks"][0]["text"]["text"] for m in messages]
    assert headers == [f"Big ({i}/{len(messages)})" for i in range(1, len(messages) + 1)]
    shown = [b["text"]["text"] for m in messages for b in m["blocks"][1:] if b["type"] == "section"]
    assert shown == [f"*{b.heading}*\n{b.paragraphs[0].strip()}" for b in reply.blocks]
    assert messages[-1]["blocks"][-1]["elements"][0]["text"] == "the end"


def test_too_long_a_reply_is_cut_with_a_note() -> None:
    messages = render(many_sections(200), max_messages=3)
    assert len(messages) == 3
    assert_safe(messages)
    last: dict[str, Any] = messages[-1]["blocks"][-1]
    assert last["elements"][0]["text"] == escape(CUT_NOTE)


def test_fifty_block_limit_holds_for_many_small_quotes() -> None:
    quotes = tuple(Quote((Span("q"),), 1, "S") for _ in range(80))
    messages = render(Reply(Kind.ANSWER, "T", (Block("h", quotes=quotes),)), max_messages=10)
    assert len(messages) == 4
    assert all(len(m["blocks"]) <= 50 for m in messages)
    for message in messages:  # a quote and its citation stay in the same message
        blocks = message["blocks"]
        for i, block in enumerate(blocks):
            if block["type"] == "section" and block["text"]["text"].startswith(">"):
                assert blocks[i + 1]["type"] == "context"
    assert_safe(messages)
