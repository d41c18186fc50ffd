"""The router answers anything anyone can type, briefly, and never raises."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle
from tests.corpus import CHAT_TEXT

MAX_REPLY_CHARS = 20_000


def _check(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    assert reply.title
    text = reply.plain_text()
    assert len(text) < MAX_REPLY_CHARS
    assert "\x00" not in text
    assert "Traceback" not in text


def test_corpus_is_big_enough() -> None:
    assert len(CHAT_TEXT) >= 50


@pytest.mark.parametrize("text", CHAT_TEXT, ids=range(len(CHAT_TEXT)))
def test_corpus(library: ChannelArticles, text: str) -> None:
    reply = handle(read_command(text), Request(channel="C1", user="U1"), library)
    _check(reply)
    outside_code = re.sub(r"`[^`]*`", "", reply.plain_text())
    assert "://" not in outside_code and "evil.example" not in outside_code.lower()
    if reply.kind is Kind.ERROR:
        assert len(reply.note) <= 300


def test_huge_input_gets_a_short_answer(library: ChannelArticles) -> None:
    reply = handle(read_command("a" * 100_000), Request(), library)
    assert reply.kind is Kind.ERROR
    assert len(reply.plain_text()) < 200


def test_echoed_text_is_cleaned(library: ChannelArticles) -> None:
    reply = handle(read_command("\u202eSarandos\x00\u200b?"), Request(), library)
    assert reply.kind is Kind.ANSWER
    assert "\u202e" not in reply.plain_text()
    assert "\x00" not in reply.plain_text()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2_000))
def test_any_text_gets_a_reply(library: ChannelArticles, text: str) -> None:
    _check(handle(read_command(text), Request(), library))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["/summary", "labor", "2", "Sarandos", "sections", "help", "?", "#", "0"]),
        max_size=6,
    ).map(" ".join)
)
def test_any_mix_of_command_words_gets_a_reply(library: ChannelArticles, text: str) -> None:
    _check(handle(read_command(text), Request(), library))
