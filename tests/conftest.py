"""Shared fixtures: the bundled article, parsed and ready to answer; the bots running."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.chat.channel_articles import ChannelArticles
from bot.sources.files import load_bundled
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack
from tests.libraries import single
from tests.postgres_server import PostgresServer, postgres_or_skip
from tests.running import (
    DISCORD_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    DiscordBot,
    SlackBot,
    run_discord,
    run_slack,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return Tokenizer("english")


@pytest.fixture(scope="session")
def bundled(tokenizer: Tokenizer) -> Document:
    return load_bundled(tokenizer)


@pytest.fixture(scope="session")
def library(bundled: Document) -> ChannelArticles:
    return single(bundled).warm()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (see ``tests/postgres_server.py``)."""
    with postgres_or_skip() as server:
        yield server


@pytest.fixture
def slack_fake() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as fake:
        yield fake


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=DISCORD_TOKEN, heartbeat_interval_ms=250) as fake:
        yield fake


@pytest.fixture
async def slack_bot(slack_fake: FakeSlack, library: ChannelArticles) -> AsyncIterator[SlackBot]:
    """The real Slack adapter in Socket Mode against the fake, on the bundled article."""
    async with run_slack(slack_fake, library) as bot:
        yield bot


@pytest.fixture
async def discord_bot(
    discord_fake: FakeDiscord, library: ChannelArticles
) -> AsyncIterator[DiscordBot]:
    """The real Discord adapter against the fake, on the bundled article."""
    async with run_discord(discord_fake, library) as bot:
        yield bot
