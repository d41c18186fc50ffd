"""The Discord adapter: discord.py 2.x, an app command plus mentions and DMs.

``/summary [query]`` autocompletes section titles and takes any text; a message
that mentions the bot, or a DM, takes the same words. Each event is read once
into a command (:mod:`adapters.discord.events`) and handed to the
:class:`~adapters.dispatch.Dispatcher`, which decides how it runs, holds the
fault boundary and answers through :mod:`adapters.discord.delivery`.

- **Three seconds.** An interaction is answered directly when the reply is
  ready within ``defer_after`` (2 s); otherwise it is deferred ("thinking…")
  and the original response is edited once the reply is ready. Mentions and
  DMs show "typing…" instead.
- **Buttons and menus.** Replies that show part of an article carry them; a
  click (a component interaction) is read into a command from its
  ``custom_id`` and served the same way (:mod:`adapters.discord.components`).
- **No pings.** Nothing the bot sends can ping anyone
  (:data:`~adapters.discord.delivery.NO_PINGS`).
- **No privileged intents.** Discord delivers the text of mentions and DMs
  without the message-content intent; other messages arrive empty and are
  ignored, as are messages from bots, this one included.
- **discord.py's internals** that the adapter overrides (endpoints, gateway
  reading, the first answer to an interaction) are in
  :mod:`adapters.discord.overrides`, with the reason for each. The forward
  proxy for ``DISCORD_API_URL`` (:mod:`adapters.proxies`) is discord.py's
  ``proxy``, used for REST and the gateway, and for the interaction callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from typing import Any

import aiohttp
import discord

from adapters.clicks import read_clicked
from adapters.discord.callback import InteractionCallbacks
from adapters.discord.commands_sync import add_command, invite_url, sync
from adapters.discord.components import ClickReplies, from_component
from adapters.discord.connecting import INTENTS, Client, login, proxy_for, raise_for
from adapters.discord.delivery import NO_PINGS, InteractionReplies, MessageReplies
from adapters.discord.events import PLATFORM, from_interaction, from_message, section_choices
from adapters.discord.overrides import Overrides
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from bot.errors import ConfigError

__all__ = ["DiscordAdapter"]

log = logging.getLogger(__name__)

#: An interaction callback that has not gone through by then is too late anyway.
CALLBACK_TIMEOUT = aiohttp.ClientTimeout(total=10.0)


class DiscordAdapter:
    """Serves ``/summary``, mentions and DMs until ``run``'s ``stop`` is set."""

    name = "discord"

    def __init__(
        self,
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        defer_after: float = 2.0,
        guild_ready_timeout: float = 2.0,
        pause_before_identify: bool = True,
        drain_timeout: float = 10.0,
    ) -> None:
        self._settings = settings
        self._dispatcher = dispatcher
        self._defer_after = defer_after
        self._guild_ready_timeout = guild_ready_timeout
        self._drain_timeout = drain_timeout
        self._handlers: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()
        self._callbacks: InteractionCallbacks | None = None
        self._overrides = Overrides(
            settings.discord.api_url,
            settings.discord.gateway_url,
            pause_before_identify=pause_before_identify,
        )

    def __repr__(self) -> str:
        return f"DiscordAdapter(guild={self._settings.discord.guild_id})"

    @property
    def ready(self) -> asyncio.Event:
        """Set once the gateway session is ready (and again after each reconnect)."""
        return self._ready

    async def connected(self) -> bool:
        """Whether the gateway session is up."""
        return self._ready.is_set()

    # ---------------------------------------------------------------- lifecycle

    async def run(self, stop: asyncio.Event) -> None:
        token = self._settings.discord.token
        if token is None:
            raise ConfigError("DISCORD_TOKEN is missing: set it to the bot token")
        try:
            with self._overrides:
                async with (
                    self._client() as client,
                    aiohttp.ClientSession(timeout=CALLBACK_TIMEOUT) as session,
                ):
                    self._callbacks = self._overrides.callbacks(
                        session, client.http.user_agent, client.http.proxy
                    )
                    await login(client, token.reveal())
                    await self._serve(client, stop)
        finally:
            self._callbacks = None

    def _client(self) -> Client:
        ids = self._settings.discord.shard_ids
        client = Client(
            self,
            self._overrides,
            intents=INTENTS,
            allowed_mentions=NO_PINGS,
            guild_ready_timeout=self._guild_ready_timeout,
            max_messages=None,
            shard_count=self._settings.discord.shard_count,
            shard_ids=list(ids) if ids is not None else None,
            proxy=proxy_for(self._settings),
        )
        add_command(client.tree, self, self._settings.discord.guild_id)
        return client

    async def _serve(self, client: Client, stop: asyncio.Event) -> None:
        await client.find_shard_count()
        gateway = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait(), name="discord-stop")
        try:
            await asyncio.wait({gateway, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if gateway.done():
            raise_for(gateway)
            return
        log.info("stopping: letting %d replies finish", len(self._pending()))
        await self._drain()
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await gateway

    async def _drain(self) -> None:
        deadline = time.monotonic() + self._drain_timeout
        while (pending := self._pending()) and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(pending, timeout=left)
        if self._pending():
            log.warning("stopped with %d replies unfinished", len(self._pending()))

    def _pending(self) -> set[asyncio.Task[Any]]:
        return {task for task in self._handlers if not task.done()}

    async def _tracked(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the running handler, remembered so that stopping lets it finish."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        await work

    async def setup(self, client: Client) -> None:
        """After login: sync ``/summary`` and print the invite URL."""
        guild_id = self._settings.discord.guild_id
        await sync(client.tree, guild_id)
        assert client.application_id is not None
        url = invite_url(client.application_id, guild_id)
        print(f"Discord: invite the bot with {url}", flush=True)

    # ---------------------------------------------------------------- events

    async def on_message(self, client: Client, message: discord.Message) -> None:
        if client.user is None:
            return
        incoming = from_message(message, client.user)
        if incoming is None:
            return
        replies = MessageReplies(message, defer_after=self._defer_after)
        await self._tracked(self._dispatcher.serve(incoming.command, incoming.request, replies))

    async def on_command(self, interaction: discord.Interaction, query: str | None) -> None:
        assert self._callbacks is not None, "commands arrive only while run() serves"
        incoming = from_interaction(interaction, query)
        replies = InteractionReplies(interaction, self._callbacks, defer_after=self._defer_after)
        await self._tracked(self._dispatcher.serve(incoming.command, incoming.request, replies))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A click on one of the bot's buttons or menus (other interactions are the tree's)."""
        if interaction.type is not discord.InteractionType.component or self._callbacks is None:
            return
        incoming = read_clicked(from_component(interaction), PLATFORM)
        replies = ClickReplies(
            interaction, self._callbacks, incoming, defer_after=self._defer_after
        )
        await self._tracked(self._dispatcher.serve(incoming.command, incoming.request, replies))

    def choices(self, interaction: discord.Interaction, typed: str) -> list[tuple[str, str]]:
        try:
            article = self._dispatcher.library.entry_for(str(interaction.channel_id or ""))
            return section_choices(article, typed)
        except Exception:
            log.exception("autocomplete failed in channel %s", interaction.channel_id)
            return []
