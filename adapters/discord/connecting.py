"""The gateway connection: discord.py's sharded client, log-in and the errors that stop start-up.

:class:`Client` runs the shards ``DISCORD_SHARD_COUNT`` and ``DISCORD_SHARD_IDS``
name, or every shard Discord recommends (``GET /gateway/bot``, through
``DISCORD_API_URL``), and passes its events to the adapter (:class:`Host`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import discord
from discord import app_commands

from adapters.discord.overrides import Overrides
from adapters.settings import Settings
from bot.errors import ConfigError

__all__ = ["INTENTS", "Client", "Host", "login", "proxy_for", "raise_for"]

log = logging.getLogger(__name__)

#: Guild and DM message events (content only when the bot is mentioned, or in DMs).
INTENTS = discord.Intents(guilds=True, guild_messages=True, dm_messages=True)


class Host(Protocol):
    """What the client tells the adapter."""

    @property
    def ready(self) -> asyncio.Event: ...

    async def setup(self, client: Client) -> None: ...

    async def on_message(self, client: Client, message: discord.Message) -> None: ...

    async def on_interaction(self, interaction: discord.Interaction) -> None: ...


class Client(discord.AutoShardedClient):
    """discord.py's sharded client wired to the adapter: events, the command tree, setup."""

    def __init__(self, host: Host, overrides: Overrides, **options: Any) -> None:
        overrides.quiet_voice()
        super().__init__(**options)
        self.host = host
        self._overrides = overrides
        self.tree: app_commands.CommandTree[Client] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.host.setup(self)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if self._overrides.pause_before_identify:
            await super().before_identify_hook(shard_id, initial=initial)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        self.host.ready.set()

    async def on_disconnect(self) -> None:
        self.host.ready.clear()

    async def on_shard_ready(self, shard_id: int) -> None:
        """A shard identified again (after start-up, when ``on_ready`` is not sent again)."""
        if self.is_ready():
            self.host.ready.set()

    async def on_shard_resumed(self, shard_id: int) -> None:
        if self.is_ready():
            self.host.ready.set()

    async def on_message(self, message: discord.Message) -> None:
        await self.host.on_message(self, message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.host.on_interaction(interaction)  # buttons and menus (the tree has the rest)

    async def find_shard_count(self) -> None:
        """Every shard Discord recommends, unless the settings name a count."""
        if self.shard_count is None:
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        log.info(
            "discord: shards %s of %d",
            ",".join(map(str, self.shard_ids or range(self.shard_count))),
            self.shard_count,
        )


async def login(client: Client, token: str) -> None:
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise ConfigError(
            "DISCORD_TOKEN was refused by Discord: copy the bot token again from the "
            "Developer Portal (Bot, Reset Token)"
        ) from None


def raise_for(gateway: asyncio.Task[None]) -> None:
    """Turn the gateway's fatal errors into configuration errors; re-raise the rest."""
    error = gateway.exception()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        raise ConfigError("Discord refused the bot's intents") from None
    if isinstance(error, discord.ConnectionClosed) and error.code == 4004:
        raise ConfigError("DISCORD_TOKEN was refused by the Discord gateway") from None
    if error is not None:
        raise error


def proxy_for(settings: Settings) -> str | None:
    """discord.py's one proxy, for REST and gateway alike: the one ``DISCORD_API_URL`` takes."""
    proxy = settings.service.proxies.for_url(settings.discord.api_url)
    if settings.service.proxies.for_url(settings.discord.gateway_url) != proxy:
        log.warning(
            "the proxy settings differ for DISCORD_API_URL and DISCORD_GATEWAY_URL; discord.py "
            "takes one proxy for both, so the gateway goes %s too",
            "through it" if proxy else "directly",
        )
    return proxy
