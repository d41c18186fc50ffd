"""``/healthz`` and ``/readyz`` in every platform mode, against the fake Slack and Discord.

``serve`` runs in the test's event loop, as ``summary-bot`` runs it; the test
asks the endpoints over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import gc
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.health import Health, HealthServer, sqlite_check
from adapters.serving import serve
from adapters.settings import Settings
from adapters.state.sqlite_choices import SqliteChoices
from bot.chat.channel_articles import ChannelArticles
from bot.errors import ConfigError
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

BOT_TOKEN = "xoxb-1-health-secret"
APP_TOKEN = "xapp-1-health-secret"
DISCORD_TOKEN = "MTIzNDU2.health.secretpart"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def get(port: int, path: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.json()


async def until_ready(port: int) -> Any:
    """The /readyz body once it says ready (``serve`` is starting meanwhile)."""
    for _ in range(600):
        try:
            status, body = await get(port, "/readyz")
        except aiohttp.ClientConnectionError:
            status, body = 0, None
        if status == 200:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"never ready: {status} {body}")


@asynccontextmanager
async def serving(settings: Settings, library: ChannelArticles) -> AsyncIterator[asyncio.Task[int]]:
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, library, stop))
    try:
        yield task
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0
        gc.unfreeze()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


def slack_env(slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "STATE_DB": str(tmp_path / "state.sqlite3"),
    }


async def test_socket_mode_serves_health_on_health_port(
    slack: FakeSlack, library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    settings = Settings.from_environ({**slack_env(slack, tmp_path), "HEALTH_PORT": str(port)})
    async with serving(settings, library):
        ready = await until_ready(port)
        assert ready == {
            "ready": True,
            "checks": {"article": True, "state_store": True, "slack": True},
        }
        assert await get(port, "/healthz") == (200, {"status": "ok"})
        assert slack.open_connection_count == 1


async def test_a_lost_slack_socket_is_not_ready(
    slack: FakeSlack, library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    settings = Settings.from_environ({**slack_env(slack, tmp_path), "HEALTH_PORT": str(port)})
    async with serving(settings, library):
        await until_ready(port)
        slack.fail_next("apps.connections.open", status=500, times=1000)  # no new socket
        assert await slack.adrop_connections() == 1
        for _ in range(600):
            status, body = await get(port, "/readyz")
            if status != 200:
                break
            await asyncio.sleep(0.05)
        assert (status, body["checks"]) == (
            503,
            {"article": True, "state_store": True, "slack": False},
        )
        assert await get(port, "/healthz") == (200, {"status": "ok"})


async def test_http_mode_serves_health_on_the_slack_port(
    slack: FakeSlack, library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **slack_env(slack, tmp_path),
        "SLACK_MODE": "http",
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_HTTP_PORT": str(port),
    }
    env.pop("SLACK_APP_TOKEN")
    async with serving(Settings.from_environ(env), library):
        ready = await until_ready(port)
        assert ready["checks"] == {"article": True, "state_store": True, "slack": True}
        assert await get(port, "/healthz") == (200, {"status": "ok"})
        # The same port still takes Slack's requests.
        ack = await slack.asend_http_slash_command(
            f"http://127.0.0.1:{port}/slack/events", "sections"
        )
        assert ack.status == 200 and ack.late is False
        assert "Introduction" in str(ack.payload)


async def test_http_mode_with_a_health_port_of_its_own(
    slack: FakeSlack, library: ChannelArticles, tmp_path: Path
) -> None:
    slack_port, health_port = free_port(), free_port()
    env = {
        **slack_env(slack, tmp_path),
        "SLACK_MODE": "http",
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_HTTP_PORT": str(slack_port),
        "HEALTH_PORT": str(health_port),
    }
    env.pop("SLACK_APP_TOKEN")
    async with serving(Settings.from_environ(env), library):
        assert (await until_ready(health_port))["ready"] is True
        assert (await until_ready(slack_port))["ready"] is True


async def test_discord_serves_health(library: ChannelArticles, tmp_path: Path) -> None:
    port = free_port()
    with FakeDiscord(token=DISCORD_TOKEN, heartbeat_interval_ms=500) as discord:
        settings = Settings.from_environ(
            {
                "DISCORD_TOKEN": DISCORD_TOKEN,
                "DISCORD_GUILD_ID": str(discord.guild_id),
                "DISCORD_API_URL": discord.api_url,
                "DISCORD_GATEWAY_URL": discord.gateway_url,
                "STATE_DB": str(tmp_path / "state.sqlite3"),
                "HEALTH_PORT": str(port),
            }
        )
        async with serving(settings, library):
            ready = await until_ready(port)
            assert ready["checks"] == {"article": True, "state_store": True, "discord": True}
            assert discord.gateway_counters.live == 1


async def test_an_unreachable_state_store_is_not_ready(
    slack: FakeSlack, library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    folder = tmp_path / "state"
    folder.mkdir()
    env = {**slack_env(slack, tmp_path), "STATE_DB": str(folder / "s.sqlite3")}
    settings = Settings.from_environ({**env, "HEALTH_PORT": str(port)})
    async with serving(settings, library):
        await until_ready(port)
        shutil.rmtree(folder)
        status, body = await get(port, "/readyz")
        assert status == 503
        assert body == {
            "ready": False,
            "checks": {"article": True, "state_store": False, "slack": True},
        }
        assert await get(port, "/healthz") == (200, {"status": "ok"})


async def test_the_sqlite_probe_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    assert await sqlite_check(path)()  # not made yet: its folder is writable
    SqliteChoices(path).set("C1", "eternauta")
    assert await sqlite_check(path)()
    path.write_bytes(b"not a database at all, just some bytes" * 100)
    assert not await sqlite_check(path)()
    assert not await sqlite_check(tmp_path / "missing" / "state.sqlite3")()


async def test_a_failing_or_hanging_check_is_not_ready() -> None:
    async def fine() -> bool:
        return True

    async def broken() -> bool:
        raise OSError("down")

    async def hanging() -> bool:
        await asyncio.sleep(3600)
        return True

    health = Health(timeout=0.2)
    for name, check in (("fine", fine), ("broken", broken), ("hanging", hanging)):
        health.add(name, check)
    async with HealthServer(health, "127.0.0.1", 0) as server:
        assert await get(server.port, "/readyz") == (
            503,
            {"ready": False, "checks": {"fine": True, "broken": False, "hanging": False}},
        )
        assert await get(server.port, "/healthz") == (200, {"status": "ok"})


async def test_a_busy_health_port_is_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"HEALTH_PORT: cannot listen on port {port}"):
            async with HealthServer(Health(), "127.0.0.1", port):
                pass
