"""What the bot repeats from a user never becomes a link, on any platform."""

from __future__ import annotations

import pytest

from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.echo import defang
from bot.chat.requests import Request
from bot.chat.routing import handle


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://evil.example/login labor", "http[:]//evil[.]example/login labor"),
        ("HTTPS://EVIL.COM/x", "HTTPS[:]//EVIL[.]COM/x"),
        ("see evil.example/login", "see evil[.]example/login"),
        ("mail bob@evil.example", "mail bob@evil[.]example"),
        ("go to www.evil", "go to www[.]evil"),
        ("http://10.0.0.1:8080/admin", "http[:]//10[.]0[.]0[.]1:8080/admin"),
        ("http://evil.example/a/page.html", "http[:]//evil[.]example/a/page.html"),
    ],
)
def test_urls_hosts_and_addresses_are_defanged(text: str, shown: str) -> None:
    assert defang(text) == shown


@pytest.mark.parametrize(
    "text",
    ["what did Sarandos say?", "U.S. policy, e.g. this", "$11 billion in 2023", "5.4% growth"],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert defang(text) == text


@pytest.mark.parametrize(
    "question",
    ["http://evil.example/login labor", "zzqx evil.example/login", "zzqx www.evil.example"],
)
def test_a_url_in_a_question_is_echoed_dead(library: ChannelArticles, question: str) -> None:
    shown = handle(read_command(question), Request(channel="C1", user="U1"), library).plain_text()
    assert "evil.example" not in shown and "://" not in shown
    assert "evil[.]example" in shown
