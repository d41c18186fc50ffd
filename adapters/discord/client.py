"""The Discord adapter: discord.py 2.x, an app command plus mentions and DMs.

``/summary [query]`` autocompletes section titles and takes any text; a message
that mentions the bot, or a DM, takes the same words. Every command goes to the
core through the :class:`~adapters.dispatch.Dispatcher`; this module only
translates (:mod:`adapters.discord.events`) and renders
(:mod:`adapters.discord.render`).

- **Three seconds.** An interaction is answered directly when the reply is
  ready within ``defer_after`` (2 s); otherwise it is deferred ("thinking…")
  and the original response is edited once the reply is ready. Help, errors and
  no-match answers are ephemeral (only the asker sees them); when one comes
  after a deferral, the channel's "thinking…" message is deleted and the answer
  goes to the asker alone. Mentions and DMs show "typing…" instead.
- **No pings.** Every send, edit and follow-up carries ``allowed_mentions`` that
  allow nothing (and the renderer breaks mentions in the text as well).
- **No privileged intents.** Discord delivers the text of mentions and DMs
  without the message-content intent; other messages arrive empty and are
  ignored, as are messages from bots, this one included.
- **Faults.** An exception in a handler is caught once, here: the traceback is
  logged and the user gets an apology; the bot keeps running.
- **Bursts.** Commands are answered in the order they arrive, each as soon as
  it is ready: after each gateway event the reader lets the handlers it started
  run (discord.py would otherwise parse every waiting frame first), and a
  command's first answer is posted by :mod:`adapters.discord.callback`, one
  small request that does not ask for the created message back.
- **Endpoints.** ``DISCORD_API_URL`` and ``DISCORD_GATEWAY_URL`` are applied to
  discord.py's ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` while the
  adapter runs, and restored afterwards (with the turn-taking above). The
  forward proxy for ``DISCORD_API_URL`` (:mod:`adapters.proxies`) is discord.py's
  ``proxy``, used for REST and the gateway, and for the interaction callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, cast

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord.types.embed import Embed as EmbedData

from adapters.discord.callback import InteractionCallbacks
from adapters.discord.components import DiscordClicks, rows_of
from adapters.discord.controls import control_rows
from adapters.discord.events import from_interaction, from_message, section_choices
from adapters.discord.render import DiscordMessage, render
from adapters.dispatch import APOLOGY, Dispatcher
from adapters.settings import Settings
from bot.chat.replies import Reply
from bot.chat.routing import Message
from bot.errors import ConfigError

__all__ = ["INTENTS", "INVITE_PERMISSIONS", "NO_PINGS", "DiscordAdapter", "invite_url"]

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
#: Guild and DM message events (content only when the bot is mentioned, or in DMs).
INTENTS = discord.Intents(guilds=True, guild_messages=True, dm_messages=True)
#: What the bot needs in a channel: see it, answer in it and its threads, with
#: embeds, as a reply to the message that asked (which needs the history).
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")
#: An interaction callback that has not gone through by then is too late anyway.
CALLBACK_TIMEOUT = aiohttp.ClientTimeout(total=10.0)
COMMAND_DESCRIPTION = "Summarize the article, one section of it, or answer a question from it"
QUERY_DESCRIPTION = "A section number or title, a question, or help"


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    """The OAuth2 URL that adds the bot with the scopes and permissions it needs."""
    guild = discord.Object(guild_id) if guild_id is not None else discord.utils.MISSING
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, guild=guild, scopes=SCOPES
    )


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
        self._pause_before_identify = pause_before_identify
        self._drain_timeout = drain_timeout
        self._handlers: set[asyncio.Task[Any]] = set()
        self._ready = asyncio.Event()
        self._callbacks: InteractionCallbacks | None = None
        self.clicks = DiscordClicks(dispatcher, lambda: self._callbacks, defer_after=defer_after)

    def __repr__(self) -> str:
        return f"DiscordAdapter(guild={self._settings.discord_guild_id})"

    @property
    def ready(self) -> asyncio.Event:
        """Set once the gateway session is ready (and again after each reconnect)."""
        return self._ready

    async def connected(self) -> bool:
        """Whether the gateway session is up."""
        return self._ready.is_set()

    # ---------------------------------------------------------------- lifecycle

    async def run(self, stop: asyncio.Event) -> None:
        token = self._settings.discord_token
        if token is None:
            raise ConfigError("DISCORD_TOKEN is missing: set it to the bot token")
        restore = _patch_discord_py(
            self._settings.discord_api_url, self._settings.discord_gateway_url
        )
        try:
            async with (
                self._client() as client,
                aiohttp.ClientSession(timeout=CALLBACK_TIMEOUT) as session,
            ):
                self._callbacks = InteractionCallbacks(
                    self._settings.discord_api_url,
                    session,
                    client.http.user_agent,
                    proxy=client.http.proxy,
                )
                await _login(client, token.reveal())
                await self._serve(client, stop)
        finally:
            self._callbacks = None
            restore()

    def _client(self) -> _Client:
        ids = self._settings.discord_shard_ids
        client = _Client(
            self,
            intents=INTENTS,
            allowed_mentions=NO_PINGS,
            guild_ready_timeout=self._guild_ready_timeout,
            max_messages=None,
            shard_count=self._settings.discord_shard_count,
            shard_ids=list(ids) if ids is not None else None,
            proxy=_proxy(self._settings),
        )
        _add_command(client.tree, self, self._settings.discord_guild_id)
        return client

    async def _serve(self, client: _Client, stop: asyncio.Event) -> None:
        if client.shard_count is None:  # every shard Discord recommends, through our gateway URL
            client.shard_count, _, _ = await client.http.get_bot_gateway()
        log.info(
            "discord: shards %s of %d",
            ",".join(map(str, client.shard_ids or range(client.shard_count))),
            client.shard_count,
        )
        gateway = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait(), name="discord-stop")
        try:
            await asyncio.wait({gateway, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if gateway.done():
            _raise_for(gateway)
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

    def _track(self) -> None:
        """Remember the running handler, so stopping lets it finish first."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)

    async def setup(self, client: _Client) -> None:
        """After login: sync ``/summary`` and print the invite URL."""
        guild_id = self._settings.discord_guild_id
        await _sync(client.tree, guild_id)
        assert client.application_id is not None
        url = invite_url(client.application_id, guild_id)
        print(f"Discord: invite the bot with {url}", flush=True)

    # ---------------------------------------------------------------- events

    async def on_message(self, client: _Client, message: discord.Message) -> None:
        if client.user is None:
            return
        incoming = from_message(message, client.user)
        if incoming is None:
            return
        self._track()
        try:
            reply = await self._reply(incoming, lambda: _typing(message.channel))
            controls = control_rows(reply, str(message.author.id))
            await _send_to_channel(message, render(reply, controls=controls))
        except Exception:
            log.exception("could not answer a message in channel %s", message.channel.id)
            await _apologise_in_channel(message.channel)

    async def on_command(self, interaction: discord.Interaction, query: str | None) -> None:
        self._track()
        assert self._callbacks is not None, "commands arrive only while run() serves"
        replier = _InteractionReplier(interaction, self._callbacks)
        try:
            message = from_interaction(interaction, query)
            reply = await self._reply(message, replier.defer)
            controls = control_rows(reply, str(interaction.user.id))
            await replier.send(render(reply, controls=controls), private=reply.private)
        except Exception:
            log.exception("/summary failed in channel %s", interaction.channel_id)
            await replier.apologise()

    def choices(self, interaction: discord.Interaction, typed: str) -> list[tuple[str, str]]:
        try:
            article = self._dispatcher.library.article_for(str(interaction.channel_id or ""))
            return section_choices(article.document.sections, typed)
        except Exception:
            log.exception("autocomplete failed in channel %s", interaction.channel_id)
            return []

    async def _reply(
        self, message: Message, on_slow: Callable[[], Coroutine[Any, Any, None]]
    ) -> Reply:
        """The core's reply; ``on_slow`` runs if it takes longer than ``defer_after``."""
        started = time.monotonic()
        refusal = await self._dispatcher.admit(message, platform="discord")
        if refusal is not None:
            return refusal
        if self._dispatcher.is_quick(message):  # answered from memory: nothing to wait for
            return self._dispatcher.answer_now(message, platform="discord")
        task = asyncio.ensure_future(self._dispatcher.reply_to(message, platform="discord"))
        left = max(0.0, self._defer_after - (time.monotonic() - started))  # admit counts too
        try:
            return await asyncio.wait_for(asyncio.shield(task), left)
        except TimeoutError:
            await on_slow()
            return await task
        finally:
            task.cancel()  # a no-op once done; stops waiting when the answer failed


class _Client(discord.AutoShardedClient):
    """discord.py's sharded client wired to the adapter: events, the command tree, setup.

    It runs the shards ``DISCORD_SHARD_COUNT`` and ``DISCORD_SHARD_IDS`` name, or
    every shard Discord recommends (``GET /gateway/bot``).
    """

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here
        super().__init__(**options)
        self.adapter = adapter
        self.tree: app_commands.CommandTree[_Client] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.adapter.setup(self)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if self.adapter._pause_before_identify:
            await super().before_identify_hook(shard_id, initial=initial)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        self.adapter.ready.set()

    async def on_disconnect(self) -> None:
        self.adapter.ready.clear()

    async def on_shard_ready(self, shard_id: int) -> None:
        """A shard identified again (after start-up, when ``on_ready`` is not sent again)."""
        if self.is_ready():
            self.adapter.ready.set()

    async def on_shard_resumed(self, shard_id: int) -> None:
        if self.is_ready():
            self.adapter.ready.set()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(self, message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.adapter.clicks.on_interaction(interaction)  # buttons and menus


class _InteractionReplier:
    """Answers one interaction: respond, or defer and edit; then follow up."""

    def __init__(self, interaction: discord.Interaction, callbacks: InteractionCallbacks) -> None:
        self._interaction = interaction
        self._callbacks = callbacks
        self._deferred = False
        self._answered = False  # the initial response went out (a message or "thinking…")
        self._shown = False

    async def defer(self) -> None:
        await self._interaction.response.defer(thinking=True)
        self._deferred = self._answered = True

    async def send(self, messages: list[DiscordMessage], *, private: bool) -> None:
        if self._deferred and private:
            await self._privately(messages)
            return
        first, *rest = messages
        if self._deferred:
            await self._interaction.edit_original_response(
                content=first.content,
                embeds=_embeds(first),
                allowed_mentions=NO_PINGS,
                view=rows_of(first),
            )
        else:
            interaction = self._interaction
            data = {**first.to_payload(), "allowed_mentions": NO_PINGS.to_dict()}
            await self._callbacks.message(interaction.id, interaction.token, data, private=private)
        self._answered = self._shown = True
        for message in rest:
            await self._interaction.followup.send(
                message.content,
                embeds=_embeds(message),
                ephemeral=private and not self._deferred,
                allowed_mentions=NO_PINGS,
                view=rows_of(message),
            )

    async def _privately(self, messages: list[DiscordMessage]) -> None:
        """After a public deferral: take "thinking…" away, answer the asker alone."""
        await self._interaction.delete_original_response()
        self._shown = True
        for message in messages:
            await self._interaction.followup.send(
                message.content,
                embeds=_embeds(message),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
                view=rows_of(message),
            )

    async def apologise(self) -> None:
        interaction = self._interaction
        try:
            if not self._answered and not interaction.response.is_done():
                await interaction.response.send_message(
                    APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS
                )
            elif self._deferred and not self._shown:
                await self._privately([DiscordMessage(APOLOGY)])
            else:
                await interaction.followup.send(APOLOGY, ephemeral=True, allowed_mentions=NO_PINGS)
        except discord.HTTPException as error:
            log.warning("could not send the apology either: %s", error)


def _add_command(
    tree: app_commands.CommandTree[_Client], adapter: DiscordAdapter, guild_id: int | None
) -> None:
    @app_commands.command(name="summary", description=COMMAND_DESCRIPTION)
    @app_commands.describe(query=QUERY_DESCRIPTION)
    async def summary(interaction: discord.Interaction, query: str | None = None) -> None:
        await adapter.on_command(interaction, query)

    @summary.autocomplete("query")
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in adapter.choices(interaction, current)
        ]

    guild = discord.Object(guild_id) if guild_id is not None else None
    tree.add_command(summary, guild=guild)


async def _sync(tree: app_commands.CommandTree[_Client], guild_id: int | None) -> None:
    """Upload ``/summary`` (to one server at once, or globally) unless Discord has it already."""
    guild = discord.Object(guild_id) if guild_id is not None else None
    where = f"server {guild_id}" if guild_id is not None else "every server (within an hour)"
    try:
        if await _up_to_date(tree, guild):
            log.info("/summary is up to date on %s", where)
            return
        synced = await tree.sync(guild=guild)
    except discord.Forbidden as error:
        place = f"server {guild_id} (DISCORD_GUILD_ID)" if guild_id else "Discord"
        raise ConfigError(
            f"{place} refused the /summary command ({error.status}): invite the bot with the "
            "applications.commands scope, using the URL summary-bot prints, and check the ID"
        ) from None
    except discord.HTTPException:
        log.exception("could not sync /summary; mentions and DMs still work")
        return
    log.info("synced %s to %s", ", ".join(f"/{c.name}" for c in synced), where)


async def _up_to_date(
    tree: app_commands.CommandTree[_Client], guild: discord.Object | None
) -> bool:
    """Whether Discord already has these commands, as people see them (so no upload)."""
    ours = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    theirs = [command.to_dict() for command in await tree.fetch_commands(guild=guild)]
    return sorted(map(_shown, ours)) == sorted(map(_shown, theirs))


def _shown(command: Mapping[str, Any]) -> str:
    """A command's name, description, type and options, in a comparable form."""

    def option(data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "name": data.get("name"),
            "description": data.get("description") or "",
            "type": data.get("type"),
            "required": bool(data.get("required")),
            "autocomplete": bool(data.get("autocomplete")),
            "choices": [(c.get("name"), c.get("value")) for c in data.get("choices") or []],
            "options": [option(o) for o in data.get("options") or []],
        }

    shown = option(command)
    shown["type"] = command.get("type") or 1
    return json.dumps(shown, sort_keys=True)


async def _login(client: _Client, token: str) -> None:
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise ConfigError(
            "DISCORD_TOKEN was refused by Discord: copy the bot token again from the "
            "Developer Portal (Bot, Reset Token)"
        ) from None


def _raise_for(gateway: asyncio.Task[None]) -> None:
    """Turn the gateway's fatal errors into configuration errors; re-raise the rest."""
    error = gateway.exception()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        raise ConfigError("Discord refused the bot's intents") from None
    if isinstance(error, discord.ConnectionClosed) and error.code == 4004:
        raise ConfigError("DISCORD_TOKEN was refused by the Discord gateway") from None
    if error is not None:
        raise error


def _proxy(settings: Settings) -> str | None:
    """discord.py's one proxy, for REST and gateway alike: the one ``DISCORD_API_URL`` takes."""
    proxy = settings.proxies.for_url(settings.discord_api_url)
    if settings.proxies.for_url(settings.discord_gateway_url) != proxy:
        log.warning(
            "the proxy settings differ for DISCORD_API_URL and DISCORD_GATEWAY_URL; discord.py "
            "takes one proxy for both, so the gateway goes %s too",
            "through it" if proxy else "directly",
        )
    return proxy


def _patch_discord_py(api_url: str, gateway_url: str) -> Callable[[], None]:
    """Apply the endpoints and turn-taking to discord.py; returns what undoes both."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    old_received = DiscordWebSocket.received_message
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    DiscordWebSocket.received_message = _taking_turns(old_received)  # type: ignore[method-assign]

    def restore() -> None:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        DiscordWebSocket.received_message = old_received  # type: ignore[method-assign]

    return restore


def _taking_turns(
    received_message: Callable[[DiscordWebSocket, Any], Coroutine[Any, Any, None]],
) -> Callable[[DiscordWebSocket, Any], Coroutine[Any, Any, None]]:
    """``received_message`` that lets the handlers an event started run before the next.

    discord.py reads the gateway in a loop that does not yield while frames are
    waiting, so fifty commands that arrive together would all be parsed before
    the first handler starts, and every answer would wait for the last frame.
    """

    @functools.wraps(received_message)
    async def received_then_yield(ws: DiscordWebSocket, msg: Any, /) -> None:
        await received_message(ws, msg)
        await asyncio.sleep(0)

    return received_then_yield


def _embeds(message: DiscordMessage) -> list[discord.Embed]:
    return [discord.Embed.from_dict(cast(EmbedData, embed)) for embed in message.embeds]


async def _typing(channel: discord.abc.Messageable) -> None:
    await channel.typing()


async def _send_to_channel(asked: discord.Message, messages: list[DiscordMessage]) -> None:
    """The reply, the first message as a reply to the one that asked."""
    reference: discord.MessageReference | None = asked.to_reference(fail_if_not_exists=False)
    for message in messages:
        await asked.channel.send(
            message.content,
            embeds=_embeds(message),
            reference=reference or discord.utils.MISSING,
            mention_author=False,
            allowed_mentions=NO_PINGS,
            view=rows_of(message),
        )
        reference = None


async def _apologise_in_channel(channel: discord.abc.Messageable) -> None:
    try:
        await channel.send(APOLOGY, allowed_mentions=NO_PINGS)
    except discord.HTTPException as error:
        log.warning("could not send the apology either: %s", error)
