"""The Spanish article, `use` and `load <url>` end to end through the real Discord adapter.

The adapter (discord.py) runs against the fake Discord on 127.0.0.1, with a library
built from settings as ``summary-bot`` builds it: ``ARTICLES_DIR`` holding the Spanish
example, choices in an SQLite file, URLs from a local web server.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from adapters.discord.client import DiscordAdapter
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from tests.conftest import ROOT
from tests.fakes.discord_fake import FakeDiscord, RecordedMessage
from tests.page_server import PageServer, serve_pages

TOKEN = "MTIz.fake.token"
TITLE = "El Eternauta: la nevada que cambió la historieta argentina"

Stop = Callable[[], Awaitable[None]]
Start = Callable[..., Awaitable[Stop]]


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=TOKEN, heartbeat_interval_ms=250) as server:
        yield server


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with serve_pages() as server:
        yield server


@pytest.fixture
async def start(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[Start]:
    """Start the adapter with extra settings; stopped, and checked, at the end."""
    running: list[tuple[asyncio.Event, asyncio.Task[None], Dispatcher]] = []

    async def starter(**env: str) -> Stop:
        settings = Settings.from_environ(
            {
                "DISCORD_TOKEN": fake.token,
                "DISCORD_API_URL": fake.api_url,
                "DISCORD_GATEWAY_URL": fake.gateway_url,
                "DISCORD_GUILD_ID": str(fake.guild_id),
                "ARTICLES_DIR": str(ROOT / "examples" / "articles"),
                "STATE_DB": str(tmp_path / "state.sqlite3"),
                **env,
            }
        )
        dispatcher = Dispatcher(build_library(settings), max_concurrent=4)
        adapter = DiscordAdapter(
            settings, dispatcher, guild_ready_timeout=0.05, pause_before_identify=False
        )
        stop = asyncio.Event()
        task = asyncio.create_task(adapter.run(stop))
        running.append((stop, task, dispatcher))
        await asyncio.wait_for(adapter.ready.wait(), timeout=10)

        async def stopper() -> None:
            stop.set()
            await asyncio.wait_for(task, timeout=15)

        return stopper

    try:
        yield starter
    finally:
        for stop, task, dispatcher in running:
            stop.set()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(task, timeout=15)
            dispatcher.close()
    assert fake.violations == []
    assert all(message.allows_no_mentions for message in fake.messages)


async def command(fake: FakeDiscord, query: str, *, user: int | None = None) -> RecordedMessage:
    """``/summary <query>``; the bot's answer (edited in if it deferred)."""
    interaction = fake.send_slash_command("summary", {"query": query}, user_id=user)
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.accepted and response.latency < fake.interaction_deadline
    return await fake.wait_for_message_async(
        lambda m: m.interaction_id == interaction and bool(m.content or m.embeds), timeout=30
    )


async def test_the_spanish_article_through_discord(fake: FakeDiscord, start: Start) -> None:
    await start()
    listed = await command(fake, "articles")
    assert f"`eternauta`: {TITLE} (spanish)" in listed.text

    switched = await command(fake, "use eternauta")
    assert f"This channel now reads “{TITLE}”" in switched.text
    assert not switched.ephemeral  # the whole channel changes article

    overview = await command(fake, "")
    assert TITLE in overview.text
    assert "2. La nevada mortal" in overview.text

    answer = await command(fake, "¿quién dibujó la historieta?")
    assert (
        "El Eternauta es una **historieta** de ciencia ficción escrita por Héctor Germán "
        "Oesterheld y **dibujada** por Francisco Solano López."
    ) in answer.text
    assert "Section 1: Introducción" in answer.text


async def test_the_channels_choice_survives_a_restart(fake: FakeDiscord, start: Start) -> None:
    stop = await start()
    await command(fake, "use eternauta")
    await stop()
    await start()  # the bot again, on the same STATE_DB
    overview = await command(fake, "")
    assert TITLE in overview.text


async def test_a_listed_user_loads_a_page_and_others_may_not(
    fake: FakeDiscord, start: Start, pages: PageServer
) -> None:
    await start(URL_LOADERS=str(fake.human_id), URL_ALLOWED_NETWORKS="127.0.0.1")
    bob = fake.add_user("bob")
    refused = await command(fake, f"load {pages.url}/eternauta.html", user=bob)
    assert "articles from a URL" in refused.text
    assert refused.ephemeral
    assert pages.requests == []

    loaded = await command(fake, f"load {pages.url}/eternauta.html")
    assert f"Loaded “{TITLE}”" in loaded.text
    answer = await command(fake, "¿quién dibujó la historieta?")
    assert "**dibujada** por Francisco Solano López" in answer.text

    private = await command(
        fake, f"load {pages.url}/redirect?to=http://169.254.169.254/latest/meta-data/"
    )
    assert "private or reserved network, so I won't fetch it" in private.text
