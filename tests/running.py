"""The real adapters running against the fakes, and faults injected into the core.

:func:`run_slack` and :func:`run_discord` start the real Bolt or discord.py
adapter against a fake platform on 127.0.0.1, with settings pointing at it,
and stop it as SIGTERM would when the block ends. The ``slack_bot`` and
``discord_bot`` fixtures (``tests/conftest.py``) are the same on the bundled
article, fake included. :func:`inject_faults` makes the core fail ("boom") or
take its time ("slow") for commands that say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.discord.client import DiscordAdapter
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from adapters.slack.app import SlackAdapter
from bot.chat import routing
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Command, read_command
from bot.chat.replies import Reply
from bot.chat.requests import Request
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

SLACK_BOT_TOKEN = "xoxb-1-secretbottoken"
SLACK_APP_TOKEN = "xapp-1-secretapptoken"
DISCORD_TOKEN = "MTIz.fake.token"
#: How long a "slow" command takes in the core.
SLOW_SECONDS = 0.4


@dataclass
class SlackBot:
    fake: FakeSlack
    adapter: SlackAdapter
    dispatcher: Dispatcher


@dataclass
class DiscordBot:
    fake: FakeDiscord
    adapter: DiscordAdapter
    dispatcher: Dispatcher
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def stop_and_wait(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, timeout=15)


def slack_settings(slack: FakeSlack, **env: str) -> Settings:
    return Settings.from_environ(
        {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": slack.app_token,
            "SLACK_API_URL": slack.api_url,
            **env,
        }
    )


def discord_settings(fake: FakeDiscord, *, guild: bool = True, **env: str) -> Settings:
    environ = {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        **env,
    }
    if guild:
        environ["DISCORD_GUILD_ID"] = str(fake.guild_id)
    return Settings.from_environ(environ)


@contextlib.asynccontextmanager
async def run_slack(
    slack: FakeSlack, library: ChannelArticles, **env: str
) -> AsyncIterator[SlackBot]:
    """The Slack adapter serving ``library`` until the block ends; then it must stop cleanly."""
    dispatcher = Dispatcher(library)
    adapter = SlackAdapter(
        slack_settings(slack, **env),
        dispatcher,
        ping_interval=0.5,
        http_host="127.0.0.1",
        http_port=0,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    ready = asyncio.create_task(adapter.ready.wait())
    await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    if task.done():
        task.result()
    assert adapter.ready.is_set()
    try:
        yield SlackBot(slack, adapter, dispatcher)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)
        dispatcher.close()
    # The fake sees the close frame a moment later, in its own thread.
    await slack.await_for(lambda: slack.open_connection_count == 0, 5.0, "sockets closed")


async def start_discord(
    fake: FakeDiscord, library: ChannelArticles, *, guild: bool = True, **options: Any
) -> DiscordBot:
    """The Discord adapter serving ``library``, ready; stop it with ``stop_and_wait``."""
    dispatcher = Dispatcher(library, max_concurrent=4)
    adapter = DiscordAdapter(
        discord_settings(fake, guild=guild),
        dispatcher,
        guild_ready_timeout=0.05,
        pause_before_identify=False,
        **options,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    ready = asyncio.create_task(adapter.ready.wait())
    done, _ = await asyncio.wait({task, ready}, timeout=10, return_when="FIRST_COMPLETED")
    ready.cancel()
    bot = DiscordBot(fake, adapter, dispatcher, stop, task)
    if task not in done and ready in done:
        return bot
    dispatcher.close()
    if task in done:
        task.result()  # raises the start-up error
    raise AssertionError("the adapter did not get ready")


@contextlib.asynccontextmanager
async def run_discord(
    fake: FakeDiscord, library: ChannelArticles, **options: Any
) -> AsyncIterator[DiscordBot]:
    """The Discord adapter serving ``library`` until the block ends; then it must stop
    cleanly, and the fake must have seen no violation and nothing that could ping."""
    bot = await start_discord(fake, library, **options)
    try:
        yield bot
        await bot.stop_and_wait()
        assert fake.violations == []
        assert all(m.allows_no_mentions for m in fake.messages)
    finally:
        bot.stop.set()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(bot.task, timeout=15)
        bot.dispatcher.close()


def inject_faults(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core fails for a command with the word "boom", and takes :data:`SLOW_SECONDS`
    (in a worker) for one with "slow", then answers the rest of the words."""
    handle, is_quick = routing.handle, routing.is_quick

    def words(command: Command) -> list[str]:
        return str(getattr(command, "words", "")).split()

    def quick(command: Command, request: Request, library: ChannelArticles) -> bool:
        if {"boom", "slow"} & set(words(command)):
            return False
        return is_quick(command, request, library)

    def faulty(command: Command, request: Request, library: ChannelArticles) -> Reply:
        said = words(command)
        if "slow" in said:
            time.sleep(SLOW_SECONDS)
            said.remove("slow")
            command = read_command(" ".join(said))
        if "boom" in said:
            raise RuntimeError("injected failure")
        return handle(command, request, library)

    monkeypatch.setattr(routing, "is_quick", quick)
    monkeypatch.setattr(routing, "handle", faulty)
