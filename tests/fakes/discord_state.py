"""State of the fake Discord server: configuration, world, records and addresses."""

from __future__ import annotations

import asyncio
import re
import ssl
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiohttp import web

from .discord_gateway import Gateway, Shard, shard_of
from .discord_records import (
    InteractionResponseRecord,
    RecordedMessage,
    RecordedRequest,
    Violation,
)
from .discord_wire import (
    API_PREFIX,
    APP_FLAG_GUILD_MEMBERS_LIMITED,
    APP_FLAG_MESSAGE_CONTENT_LIMITED,
    APP_FLAG_PRESENCE_LIMITED,
    InteractionState,
    RestFault,
    RestRoute,
    error_body,
)
from .discord_world import (
    CHANNEL_DM,
    EVERYONE_PERMISSIONS,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_PRESENCES,
    INTENT_MESSAGE_CONTENT,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    Snowflakes,
)
from .loop_thread import LoopThread

T = TypeVar("T")


class DiscordState:
    """The fake's world (users, guilds, channels), its records and its server thread."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        heartbeat_interval_ms: int = 41250,
        interaction_deadline: float = 3.0,
        followup_window: float = 15 * 60.0,
        guild_count: int = 1,
        shards: int = 1,
        bot_name: str = "summary-bot",
        allowed_privileged_intents: int = 0,
        emulate_message_content_intent: bool = True,
        echo_own_messages: bool = True,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._ids = Snowflakes()
        self._token = token
        self._token_revoked = False
        self.interaction_deadline = interaction_deadline
        self.followup_window = followup_window
        self.emulate_message_content_intent = emulate_message_content_intent
        self.echo_own_messages = echo_own_messages
        self._tasks: set[asyncio.Task[int]] = set()
        self._allowed_privileged = allowed_privileged_intents
        self._host = host
        # Over TLS the URLs name "localhost", the name the test certificate is for.
        self._tls = tls
        self._url_host = "localhost" if tls is not None else host
        self._http, self._ws = ("https", "wss") if tls is not None else ("http", "ws")

        self._bot = FakeUser(self._ids.next(), bot_name, bot=True)
        self._human = FakeUser(self._ids.next(), "alice")
        self._other_bot = FakeUser(self._ids.next(), "helper-bot", bot=True)
        self._users: dict[int, FakeUser] = {
            u.id: u for u in (self._bot, self._human, self._other_bot)
        }
        self.shards = shards  # what GET /gateway/bot recommends; guild n is on shard n % shards
        self._guilds: list[FakeGuild] = [self._make_guild(n) for n in range(guild_count)]
        self._channels: dict[int, FakeChannel] = {c.id: c for g in self._guilds for c in g.channels}
        self._dm_channels: dict[int, FakeChannel] = {}  # user id -> DM channel

        self._requests: list[RecordedRequest] = []
        self._messages: list[RecordedMessage] = []
        self._responses: list[InteractionResponseRecord] = []
        self._violations: list[Violation] = []
        self._interactions: dict[int, InteractionState] = {}
        self._interaction_by_token: dict[str, int] = {}
        self._synced: dict[int | None, list[dict[str, Any]]] = {}
        self._sync_count = 0
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._stored_messages: dict[int, dict[str, Any]] = {}  # channel messages by id
        # Every live message by id, ephemeral ones included, and each one's versions.
        self._all_messages: dict[int, dict[str, Any]] = {}
        self._history: dict[int, list[dict[str, Any]]] = {}
        self._forbidden_channels: set[int] = set()
        self._faults: list[RestFault] = []

        self._gateway = Gateway(
            condition=self._cond,
            heartbeat_interval_ms=heartbeat_interval_ms,
            token_ok=self._token_ok,
            ready_payload=self._ready_payload,
            guild_payloads=self._guild_payloads,
            allowed_privileged_intents=allowed_privileged_intents,
        )
        self._routes = self._build_routes()

        self._loop_thread = LoopThread("fake-discord")
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopped = False

    def _build_routes(self) -> list[RestRoute]:
        raise NotImplementedError

    def _submit(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        if self._stopped:
            coro.close()
            raise RuntimeError("fake Discord is not running")
        return self._loop_thread.submit(coro, timeout)

    # ------------------------------------------------------------------ addresses & world

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("fake Discord is not running")
        return self._port

    @property
    def base_url(self) -> str:
        return f"{self._http}://{self._url_host}:{self.port}"

    @property
    def api_url(self) -> str:
        """REST base, e.g. ``http://127.0.0.1:PORT/api/v10`` (for ``Route.BASE``)."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL without query, e.g. ``ws://127.0.0.1:PORT/gateway``."""
        return f"{self._ws}://{self._url_host}:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """What READY advertises as ``resume_gateway_url`` (same server, another path)."""
        return f"{self._ws}://{self._url_host}:{self.port}/gateway/resume"

    @property
    def token(self) -> str:
        return self._token

    @property
    def bot_id(self) -> int:
        return self._bot.id

    @property
    def application_id(self) -> int:
        """Same as the bot user's id, as for real Discord bots."""
        return self._bot.id

    @property
    def bot_mention(self) -> str:
        return self._bot.mention

    @property
    def human_id(self) -> int:
        """A human guild member ("alice"), the default author of messages and commands."""
        return self._human.id

    @property
    def other_bot_id(self) -> int:
        """Another bot account in the guild, for "ignore messages from bots" tests."""
        return self._other_bot.id

    @property
    def guild_id(self) -> int:
        return self._guilds[0].id

    @property
    def channel_id(self) -> int:
        """The first guild's text channel."""
        return self._guilds[0].text_channel.id

    @property
    def guild_ids(self) -> list[int]:
        return [g.id for g in self._guilds]

    def channel_of(self, guild_id: int) -> int:
        """The text channel of a guild."""
        return self._guild(guild_id).text_channel.id

    def add_user(self, username: str, *, bot: bool = False, guild_member: bool = True) -> int:
        """Create a user (a member of every guild unless ``guild_member=False``)."""
        user = FakeUser(self._ids.next(), username, bot=bot)
        with self._cond:
            self._users[user.id] = user
            if guild_member:
                for guild in self._guilds:
                    guild.member_roles[user.id] = []
        return user.id

    def dm_channel_id(self, user_id: int | None = None) -> int:
        """The DM channel between the bot and a user (created on first use)."""
        with self._cond:
            return self._dm_channel(user_id or self._human.id).id

    def forbid_channel(self, channel_id: int, forbidden: bool = True) -> None:
        """Make message sends to a channel fail with 403 50013 Missing Permissions."""
        with self._cond:
            if forbidden:
                self._forbidden_channels.add(channel_id)
            else:
                self._forbidden_channels.discard(channel_id)

    def revoke_token(self) -> None:
        """The bot token stops working: REST answers 401 and the gateway closes with 4004."""
        with self._cond:
            self._token_revoked = True
        if self._loop_thread.running:
            self._submit(self._gateway.close_all(4004, "Authentication failed."), 5.0)

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: Any = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` REST requests whose method and path (below
        ``/api/v10``, e.g. ``r"/channels/\\d+/messages"``) match with ``status`` and ``body``.

        Injected answers bypass the handlers: they appear in ``requests`` only (not in
        ``messages`` or ``violations``). Beware that discord.py retries 5xx answers up to
        five times, sleeping 1, 3, 5... seconds in between.
        """
        fault = RestFault(
            method=method.upper(),
            pattern=re.compile(path_regex),
            status=status,
            body=body if body is not None else error_body(0, f"{status}: injected failure"),
            remaining=times,
        )
        with self._cond:
            self._faults.append(fault)

    # ------------------------------------------------------------------ world helpers

    def _make_guild(self, number: int) -> FakeGuild:
        made = self._ids.next()  # moved on a few milliseconds, onto shard number % shards
        millis = (made >> 22) + (number - (made >> 22)) % self.shards
        guild_id = (millis << 22) | (made & ((1 << 22) - 1))
        bot_role = FakeRole(self._ids.next(), self._bot.username, EVERYONE_PERMISSIONS, 1, True)
        channel = FakeChannel(self._ids.next(), "general", guild_id=guild_id)
        return FakeGuild(
            id=guild_id,
            name=f"Test Guild {number + 1}",
            owner_id=self._human.id,
            channels=[channel],
            roles=[FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS), bot_role],
            member_roles={
                self._bot.id: [bot_role.id],
                self._human.id: [],
                self._other_bot.id: [],
            },
        )

    def _user(self, user_id: int) -> FakeUser:
        try:
            return self._users[user_id]
        except KeyError:
            raise ValueError(f"unknown user {user_id}") from None

    def _guild(self, guild_id: int) -> FakeGuild:
        for guild in self._guilds:
            if guild.id == guild_id:
                return guild
        raise ValueError(f"unknown guild {guild_id}")

    def _channel(self, channel_id: int) -> FakeChannel:
        try:
            return self._channels[channel_id]
        except KeyError:
            raise ValueError(f"unknown channel {channel_id}") from None

    def _is_dm(self, channel_id: int) -> bool:
        channel = self._channels.get(channel_id)
        return channel is not None and channel.type == CHANNEL_DM

    def _dm_channel(self, user_id: int) -> FakeChannel:
        channel = self._dm_channels.get(user_id)
        if channel is None:
            channel = FakeChannel(self._ids.next(), "", type=CHANNEL_DM, recipient_id=user_id)
            self._dm_channels[user_id] = channel
            self._channels[channel.id] = channel
        return channel

    def _has_command(self, scope: int | None, name: str) -> bool:
        return any(c.get("name") == name for c in self._synced.get(scope, []))

    def _command_id(self, scope: int | None, kind: int, name: str) -> int:
        key = (scope, kind, name)
        if key not in self._command_ids:
            self._command_ids[key] = self._ids.next()
        return self._command_ids[key]

    def _token_ok(self, token: Any) -> bool:
        with self._cond:
            return not self._token_revoked and token == self._token

    def _ready_payload(self, session_id: str, shard: Shard | None) -> dict[str, Any]:
        flags = 0
        if self._allowed_privileged & INTENT_MESSAGE_CONTENT:
            flags |= APP_FLAG_MESSAGE_CONTENT_LIMITED
        if self._allowed_privileged & INTENT_GUILD_MEMBERS:
            flags |= APP_FLAG_GUILD_MEMBERS_LIMITED
        if self._allowed_privileged & INTENT_GUILD_PRESENCES:
            flags |= APP_FLAG_PRESENCE_LIMITED
        with self._cond:
            return {
                "v": 10,
                "user": self._bot_user_payload(),
                "guilds": [
                    {"id": str(g.id), "unavailable": True} for g in self._shard_guilds(shard)
                ],
                **({"shard": list(shard)} if shard is not None else {}),
                "session_id": session_id,
                "session_type": "normal",
                "resume_gateway_url": self.resume_gateway_url,
                "application": {"id": str(self.application_id), "flags": flags},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
                "geo_ordered_rtc_regions": [],
                "_trace": ['["fake-discord-gateway",{}]'],
            }

    def _guild_payloads(self, intents: int, shard: Shard | None) -> list[dict[str, Any]]:
        all_members = bool(intents & INTENT_GUILD_MEMBERS)
        with self._cond:
            return [
                g.create_payload(self._users, self._bot.id, all_members=all_members)
                for g in self._shard_guilds(shard)
            ]

    def _shard_guilds(self, shard: Shard | None) -> list[FakeGuild]:
        """The guilds a session on ``shard`` is sent (all of them without sharding)."""
        if shard is None:
            return list(self._guilds)
        return [g for g in self._guilds if shard_of(g.id, shard[1]) == shard[0]]

    def _bot_user_payload(self) -> dict[str, Any]:
        data = self._bot.payload()
        data.update(verified=True, mfa_enabled=False, flags=0, email=None, locale="en-US")
        return data
