"""A fake Discord (REST API + gateway) for running a real discord.py client in tests.

The server runs on 127.0.0.1 in its own thread with its own event loop, so a bot that
blocks its loop cannot stop the fake's clock: the 3-second interaction deadline is measured
by the fake, from the moment it sent the INTERACTION_CREATE.

Typical use::

    with FakeDiscord(heartbeat_interval_ms=500) as fake, point_discord_py_at(fake):
        client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        ...  # await client.start(fake.token) in a task, wait for on_ready
        interaction_id = fake.send_slash_command("summary", {"section": "2"})
        response = await fake.wait_for_interaction_response_async(interaction_id)
        assert not fake.violations

All public methods are thread-safe. ``wait_*`` methods block the calling thread; inside an
async test use their ``*_async`` twins, which wait in a worker thread so the bot's loop
keeps running. ``send_*`` methods only wait for the fake's own loop and are safe to call
from the bot's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import secrets
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal, TypeVar, cast

import yarl
from aiohttp import web

from . import discord_limits as limits
from .discord_gateway import OP_RECONNECT, Gateway, Shard, shard_of
from .discord_records import (
    EPHEMERAL_FLAG,
    GatewayConnection,
    GatewayCounters,
    InteractionResponseRecord,
    RecordedMessage,
    RecordedRequest,
    SentInteraction,
    Violation,
)
from .discord_world import (
    ATTACHMENT_SIZE_LIMIT,
    CHANNEL_DM,
    EVERYONE_PERMISSIONS,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILD_PRESENCES,
    INTENT_MESSAGE_CONTENT,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
    Snowflakes,
    message_payload,
)
from .loop_thread import LoopThread

__all__ = [
    "DiscordPyPatch",
    "FakeDiscord",
    "GatewayCounters",
    "InteractionResponseRecord",
    "RecordedMessage",
    "RecordedRequest",
    "SentInteraction",
    "Violation",
    "point_discord_py_at",
    "running_fake",
]

T = TypeVar("T")

API_PREFIX = "/api/v10"
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9
_ALLOWED_CALLBACKS = {
    INTERACTION_APPLICATION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL},
    INTERACTION_AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
}
MESSAGE_TYPE_DEFAULT = 0
MESSAGE_TYPE_REPLY = 19
MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20
LOADING_FLAG = 1 << 7
APP_FLAG_PRESENCE_LIMITED = 1 << 13
APP_FLAG_GUILD_MEMBERS_LIMITED = 1 << 15
APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19
_MENTION = re.compile(r"<@!?(\d+)>")


def _json_response(status: int, body: Any) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``.

    ``web.json_response`` appends ``; charset=utf-8`` and discord.py then treats the body
    as text, which breaks login.
    """
    if status == 204:
        return web.Response(status=204)
    headers = {"Content-Type": "application/json", "Via": "1.1 fake-discord"}
    if status == 429 and isinstance(body, dict) and "retry_after" in body:
        # Discord's API answers through a proxy (discord.py reads a 429 without a Via
        # header as a Cloudflare ban) and says when to retry.
        headers["Retry-After"] = str(body["retry_after"])
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)


def _copy(value: T) -> T:
    """A deep copy of JSON-shaped data (what the fake keeps and sends), made quickly.

    Dicts, lists and tuples are rebuilt; strings, numbers, booleans and None are
    immutable and shared; anything else is deep-copied the usual way.
    """
    kind = type(value)
    if kind is dict:
        return cast(T, {key: _copy(item) for key, item in cast(dict[Any, Any], value).items()})
    if kind is list:
        return cast(T, [_copy(item) for item in cast(list[Any], value)])
    if kind in _IMMUTABLE or value is None:
        return value
    if kind is tuple:
        return cast(T, tuple(_copy(item) for item in cast(tuple[Any, ...], value)))
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({str, int, float, bool, bytes})


def _error(code: int, message: str, errors: Mapping[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = dict(errors)
    return body


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _options_list(
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> list[dict[str, Any]]:
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
    return [dict(o) for o in options]


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: tuple[str, ...]
    authorization: str | None
    at: float
    params: dict[str, str] = field(default_factory=dict)
    # Record-keeping run under the fake's lock, all at once, when the handler is done.
    after: list[Callable[[], None]] = field(default_factory=list)


Handler = Callable[[_Request], Awaitable[tuple[int, Any]]]


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    remaining: int


@dataclass
class _InteractionState:
    sent: SentInteraction
    acknowledged: bool = False
    response_type: int | None = None
    original: dict[str, Any] | None = None
    followups: dict[int, dict[str, Any]] = field(default_factory=dict)


class DiscordPyPatch:
    """Undo handle returned by :func:`point_discord_py_at`; also a context manager."""

    def __init__(self, undo: Callable[[], None]) -> None:
        self._undo: Callable[[], None] | None = undo

    def __call__(self) -> None:
        if self._undo is not None:
            undo, self._undo = self._undo, None
            undo()

    def __enter__(self) -> DiscordPyPatch:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self()


def point_discord_py_at(fake: FakeDiscord | str, gateway_url: str | None = None) -> DiscordPyPatch:
    """Point discord.py's REST base (``discord.http.Route.BASE``) and gateway
    (``DiscordWebSocket.DEFAULT_GATEWAY``) at the fake, or at explicit URLs.

    Returns a callable that restores the previous values; it is also a context manager.
    Patching is process-wide: undo it when the test ends.
    """
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    if isinstance(fake, FakeDiscord):
        api_url, ws_url = fake.api_url, fake.gateway_url
    else:
        if gateway_url is None:
            raise TypeError("gateway_url is required when an API URL string is given")
        api_url, ws_url = fake, gateway_url
    old_base = Route.BASE
    old_gateway = DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(ws_url)

    def undo() -> None:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return DiscordPyPatch(undo)


class FakeDiscord:
    """Fake Discord REST API and gateway; see the module docstring."""

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
        self._interactions: dict[int, _InteractionState] = {}
        self._interaction_by_token: dict[str, int] = {}
        self._synced: dict[int | None, list[dict[str, Any]]] = {}
        self._sync_count = 0
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._stored_messages: dict[int, dict[str, Any]] = {}  # channel messages by id
        self._forbidden_channels: set[int] = set()
        self._faults: list[_Fault] = []

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

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout: float = 10.0) -> FakeDiscord:
        """Start the server thread; returns once the port is bound."""
        self._loop_thread.start(self._startup, timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close every connection and stop the server thread. Idempotent."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._loop_thread.stop(self._shutdown, timeout)

    def __enter__(self) -> FakeDiscord:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway.handle)
        app.router.add_get("/gateway/resume", self._gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self._handle_rest)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, 0, ssl_context=self._tls)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def _shutdown(self) -> None:
        await self._gateway.abort_all()
        if self._runner is not None:
            await self._runner.cleanup()

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
        fault = _Fault(
            method=method.upper(),
            pattern=re.compile(path_regex),
            status=status,
            body=body if body is not None else _error(0, f"{status}: injected failure"),
            remaining=times,
        )
        with self._cond:
            self._faults.append(fault)

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._requests)

    @property
    def messages(self) -> list[RecordedMessage]:
        """Every message-creating or -editing request, including refused ones."""
        with self._cond:
            return list(self._messages)

    @property
    def accepted_messages(self) -> list[RecordedMessage]:
        with self._cond:
            return [m for m in self._messages if m.accepted]

    @property
    def interaction_responses(self) -> list[InteractionResponseRecord]:
        """Every initial-response attempt (``/callback``), including refused ones."""
        with self._cond:
            return list(self._responses)

    @property
    def violations(self) -> list[Violation]:
        """Every request Discord would refuse; a well-behaved bot leaves this empty."""
        with self._cond:
            return list(self._violations)

    @property
    def synced_commands(self) -> dict[int | None, list[dict[str, Any]]]:
        """The last command list PUT per scope: guild id, or ``None`` for global."""
        with self._cond:
            return _copy(self._synced)

    @property
    def sync_count(self) -> int:
        """How many bulk-overwrite (PUT) command syncs were accepted."""
        with self._cond:
            return self._sync_count

    @property
    def sent_interactions(self) -> list[SentInteraction]:
        with self._cond:
            return [s.sent for s in self._interactions.values()]

    def interaction(self, interaction_id: int) -> SentInteraction:
        with self._cond:
            return self._interactions[interaction_id].sent

    def responses_for(self, interaction_id: int) -> list[InteractionResponseRecord]:
        with self._cond:
            return [r for r in self._responses if r.interaction_id == interaction_id]

    def messages_for(self, interaction_id: int) -> list[RecordedMessage]:
        """Messages sent through one interaction (response, edits, follow-ups)."""
        with self._cond:
            return [m for m in self._messages if m.interaction_id == interaction_id]

    @property
    def gateway_counters(self) -> GatewayCounters:
        return self._gateway.counters()

    @property
    def gateway_connections(self) -> list[GatewayConnection]:
        """Each websocket connection: path (``/gateway`` or ``/gateway/resume``) and query."""
        with self._cond:
            return list(self._gateway.connections)

    @property
    def gateway_frames_received(self) -> list[dict[str, Any]]:
        """Frames the clients sent (tokens redacted)."""
        with self._cond:
            return _copy(self._gateway.received)

    @property
    def gateway_close_codes(self) -> list[int]:
        """Close codes the fake closed connections with (4004, 4014, ...)."""
        with self._cond:
            return list(self._gateway.close_codes)

    @property
    def identify_count(self) -> int:
        return self.gateway_counters.identifies

    @property
    def resume_count(self) -> int:
        return self.gateway_counters.resumes

    def clear_records(self) -> None:
        """Forget requests, messages, responses and violations (not the world or sessions)."""
        with self._cond:
            self._requests.clear()
            self._messages.clear()
            self._responses.clear()
            self._violations.clear()

    # ------------------------------------------------------------------ waiting

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        """Block until ``predicate()`` returns something truthy and return it.

        The predicate is re-checked whenever the fake records something, and at least
        every 50 ms (so it may also look at the bot's own state).
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()
                if result:
                    return result
                if self._stopped:
                    raise RuntimeError("fake Discord stopped while waiting")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"fake Discord: no {what or 'match'} within {timeout}s ({self._summary()})"
                    )
                self._cond.wait(min(remaining, 0.05))

    async def wait_for_async(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        return await asyncio.to_thread(self.wait_for, predicate, timeout, what=what)

    def wait_for_message(
        self,
        match: Callable[[RecordedMessage], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedMessage:
        """The first recorded message at index ≥ ``since`` (see ``len(fake.messages)``)
        that satisfies ``match``."""

        def find() -> RecordedMessage | None:
            for message in self._messages[since:]:
                if match is None or match(message):
                    return message
            return None

        return self.wait_for(find, timeout, what="matching message")

    async def wait_for_message_async(
        self,
        match: Callable[[RecordedMessage], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedMessage:
        return await asyncio.to_thread(self.wait_for_message, match, since=since, timeout=timeout)

    def wait_for_interaction_response(
        self, interaction_id: int, *, timeout: float = 5.0
    ) -> InteractionResponseRecord:
        """The first ``/callback`` attempt for the interaction (check ``.accepted``)."""

        def find() -> InteractionResponseRecord | None:
            for record in self._responses:
                if record.interaction_id == interaction_id:
                    return record
            return None

        return self.wait_for(find, timeout, what=f"response to interaction {interaction_id}")

    async def wait_for_interaction_response_async(
        self, interaction_id: int, *, timeout: float = 5.0
    ) -> InteractionResponseRecord:
        return await asyncio.to_thread(
            self.wait_for_interaction_response, interaction_id, timeout=timeout
        )

    def wait_for_commands(
        self, guild_id: int | None = None, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """The commands synced to a guild (or globally for ``None``), once a sync happened."""

        def find() -> tuple[list[dict[str, Any]]] | None:
            if guild_id in self._synced:
                return (_copy(self._synced[guild_id]),)
            return None

        return self.wait_for(find, timeout, what=f"command sync for {guild_id}")[0]

    async def wait_for_commands_async(
        self, guild_id: int | None = None, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.wait_for_commands, guild_id, timeout=timeout)

    def wait_until_connected(self, *, timeout: float = 5.0) -> GatewayCounters:
        """Until some client has identified or resumed and is connected.

        The fake has then sent READY and the GUILD_CREATEs; discord.py fires ``on_ready``
        ``guild_ready_timeout`` seconds later.
        """

        def find() -> GatewayCounters | None:
            counters = self._gateway.counters()
            return counters if counters.live and counters.sessions_started else None

        return self.wait_for(find, timeout, what="connected gateway session")

    async def wait_until_connected_async(self, *, timeout: float = 5.0) -> GatewayCounters:
        return await asyncio.to_thread(self.wait_until_connected, timeout=timeout)

    def wait_for_reconnect(
        self, since: GatewayCounters, *, timeout: float = 10.0
    ) -> GatewayCounters:
        """Until a client identified or resumed after the ``since`` snapshot and is live."""

        def find() -> GatewayCounters | None:
            now = self._gateway.counters()
            if now.sessions_started > since.sessions_started and now.live:
                return now
            return None

        return self.wait_for(find, timeout, what="gateway reconnect")

    async def wait_for_reconnect_async(
        self, since: GatewayCounters, *, timeout: float = 10.0
    ) -> GatewayCounters:
        return await asyncio.to_thread(self.wait_for_reconnect, since, timeout=timeout)

    def _summary(self) -> str:
        c = self._gateway.counters()
        return (
            f"{len(self._requests)} requests, {len(self._messages)} messages, "
            f"{len(self._responses)} interaction responses, {len(self._violations)} violations, "
            f"gateway: {c.live} live, {c.identifies} identifies, {c.resumes} resumes"
        )

    # ------------------------------------------------------------------ gateway events

    def send_dispatch(self, event: str, data: Mapping[str, Any], *, timeout: float = 5.0) -> int:
        """Send any dispatch event to every session; returns how many got it."""
        payload = _copy(dict(data))
        return self._submit(self._gateway.dispatch(event, lambda _intents: payload), timeout)

    def send_message_create(
        self,
        content: str,
        *,
        author_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        mentions: Sequence[int] | None = None,
        embeds: Sequence[Mapping[str, Any]] | None = None,
        reply_to: int | None = None,
        timeout: float = 5.0,
    ) -> int:
        """Send MESSAGE_CREATE; returns the message id.

        - The author defaults to the human member "alice" (``other_bot_id`` for a bot).
        - The channel defaults to the first guild's text channel; ``dm=True`` (or a DM
          ``channel_id``) sends a DM from the author to the bot. The guild follows from the
          channel.
        - ``mentions`` defaults to the users named as ``<@id>`` in ``content``, as Discord
          computes it: write ``f"{fake.bot_mention} ..."`` to mention the bot.
        - Unless the client asked for the privileged MESSAGE_CONTENT intent, a guild message
          that does not mention the bot arrives with empty ``content`` and ``embeds``.
        """
        with self._cond:
            author = self._user(author_id or self._human.id)
            if dm or (channel_id is not None and self._is_dm(channel_id)):
                channel = self._dm_channel(author.id)
                guild = None
            else:
                channel = self._channel(channel_id or self.channel_id)
                guild = self._guild(channel.guild_id) if channel.guild_id else None
            if mentions is None:
                ids = [int(m) for m in _MENTION.findall(content)]
                mentioned = [self._users[i] for i in dict.fromkeys(ids) if i in self._users]
            else:
                mentioned = [self._user(i) for i in mentions]
            reference = None
            if reply_to is not None:
                reference = {"message_id": str(reply_to), "channel_id": str(channel.id)}
                if guild is not None:
                    reference["guild_id"] = str(guild.id)
            message_id = self._ids.next()
            data = message_payload(
                message_id=message_id,
                channel_id=channel.id,
                author=author,
                content=content,
                guild=guild,
                embeds=[dict(e) for e in embeds or []],
                mentions=mentioned,
                message_type=MESSAGE_TYPE_REPLY if reply_to else MESSAGE_TYPE_DEFAULT,
                message_reference=reference,
            )
            self._stored_messages[message_id] = data
            mentions_bot = any(u.id == self._bot.id for u in mentioned)

        visible = mentions_bot or author.id == self._bot.id

        def data_for(intents: int) -> dict[str, Any] | None:
            return self._message_event(intents, data, content_visible=visible)

        self._dispatch_or_raise("MESSAGE_CREATE", data_for, timeout)
        return message_id

    def send_dm(self, content: str, *, author_id: int | None = None, timeout: float = 5.0) -> int:
        """A direct message to the bot; returns the message id."""
        return self.send_message_create(content, author_id=author_id, dm=True, timeout=timeout)

    def send_slash_command(
        self,
        name: str = "summary",
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        user_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        command_guild_id: int | Literal["auto"] | None = "auto",
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> int:
        """Send INTERACTION_CREATE (type 2, chat-input command); returns the interaction id.

        ``options`` is ``{"name": value}`` (types inferred: str 3, int 4, bool 5, float 10)
        or raw option dicts (for subcommands). ``data.id`` and ``data.guild_id`` come from
        the synced commands: a command synced to the channel's guild gets that guild id, a
        global one none; ``command_guild_id`` overrides this.
        """
        prepared = self._interaction(
            INTERACTION_APPLICATION_COMMAND,
            name,
            _options_list(options),
            user_id=user_id,
            channel_id=channel_id,
            dm=dm,
            command_guild_id=command_guild_id,
            locale=locale,
        )
        return self._send_interactions([prepared], timeout)[0]

    def send_slash_commands(
        self,
        options: Sequence[Mapping[str, Any] | None],
        name: str = "summary",
        *,
        timeout: float = 5.0,
    ) -> list[int]:
        """Send one chat-input command per entry of ``options``, back to back on the gateway.

        This is how Discord delivers commands that many people send at the same
        moment: one INTERACTION_CREATE frame after another on the bot's
        connection, each with its own 3-second deadline. Returns the ids, in order.
        """
        prepared = [
            self._interaction(
                INTERACTION_APPLICATION_COMMAND,
                name,
                _options_list(each),
                user_id=None,
                channel_id=None,
                dm=False,
                command_guild_id="auto",
                locale="en-US",
            )
            for each in options
        ]
        return self._send_interactions(prepared, timeout)

    def send_autocomplete(
        self,
        name: str,
        option_name: str,
        typed_value: str,
        *,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        option_type: int = 3,
        user_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        command_guild_id: int | Literal["auto"] | None = "auto",
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> int:
        """Send an autocomplete interaction (type 4) for ``option_name`` with what the user
        typed so far (``focused: true``); other filled-in options go in ``options``."""
        opts = _options_list(options)
        opts.append(
            {"name": option_name, "type": option_type, "value": typed_value, "focused": True}
        )
        prepared = self._interaction(
            INTERACTION_AUTOCOMPLETE,
            name,
            opts,
            user_id=user_id,
            channel_id=channel_id,
            dm=dm,
            command_guild_id=command_guild_id,
            locale=locale,
        )
        return self._send_interactions([prepared], timeout)[0]

    def drop_connections(self, *, timeout: float = 5.0) -> int:
        """Abort every gateway connection (TCP reset, no close frame). Sessions stay
        resumable; returns how many connections were dropped."""
        return self._submit(self._gateway.drop_connections(), timeout)

    def send_reconnect(self, *, timeout: float = 5.0) -> int:
        """Send op 7 RECONNECT to every live connection."""
        return self._submit(self._gateway.send_op(OP_RECONNECT, None), timeout)

    def send_invalid_session(self, resumable: bool, *, timeout: float = 5.0) -> int:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the sessions are forgotten,
        so the client has to IDENTIFY again."""
        return self._submit(self._gateway.invalidate_sessions(resumable), timeout)

    def _message_event(
        self,
        intents: int,
        data: Mapping[str, Any],
        *,
        content_visible: bool,
        snapshot: bool = False,
    ) -> dict[str, Any] | None:
        """A message event as a session with these intents receives it, or None.

        ``snapshot``: ``data`` is already a private copy, which only needs its top level
        replaced for a session that may not see the content.
        """
        in_guild = "guild_id" in data
        needed = INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
        if not intents & needed:
            return None
        event = dict(data) if snapshot else _copy(dict(data))
        hidden = (
            self.emulate_message_content_intent
            and in_guild
            and not content_visible
            and not intents & INTENT_MESSAGE_CONTENT
        )
        if hidden:
            event.update(content="", embeds=[], attachments=[], components=[])
        return event

    def _echo(self, req: _Request, event: str, message: Mapping[str, Any]) -> None:
        """Dispatch the bot's own new or edited message, as Discord does (not ephemeral
        ones), once the REST handler is done."""
        if not self.echo_own_messages or int(message.get("flags") or 0) & EPHEMERAL_FLAG:
            return
        data = _copy(dict(message))  # as it is now: an edit may follow before the dispatch

        def data_for(intents: int) -> dict[str, Any] | None:
            return self._message_event(intents, data, content_visible=True, snapshot=True)

        def spawn() -> None:
            task = asyncio.get_running_loop().create_task(self._gateway.dispatch(event, data_for))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        req.after.append(spawn)

    def _dispatch_or_raise(
        self,
        event: str,
        data_for: Callable[[int], dict[str, Any] | None],
        timeout: float,
    ) -> None:
        if not self._gateway.has_session():
            raise RuntimeError(
                f"no gateway session to send {event} to; wait_until_connected() first"
            )
        self._submit(self._gateway.dispatch(event, data_for), timeout)

    def _send_interactions(
        self, prepared: list[tuple[int, Callable[[], Coroutine[Any, Any, int]]]], timeout: float
    ) -> list[int]:
        """Dispatch prepared interactions back to back on the gateway; their ids, in order."""
        if not self._gateway.has_session():
            raise RuntimeError("no gateway session to send INTERACTION_CREATE to")

        async def burst() -> None:
            for _, dispatch in prepared:
                await dispatch()

        self._submit(burst(), timeout)
        return [interaction_id for interaction_id, _ in prepared]

    def _interaction(
        self,
        kind: int,
        name: str,
        options: list[dict[str, Any]],
        *,
        user_id: int | None,
        channel_id: int | None,
        dm: bool,
        command_guild_id: int | Literal["auto"] | None,
        locale: str,
    ) -> tuple[int, Callable[[], Coroutine[Any, Any, int]]]:
        """A new interaction's id, and what registers and dispatches it (on the fake's loop)."""
        with self._cond:
            user = self._user(user_id or self._human.id)
            if dm or (channel_id is not None and self._is_dm(channel_id)):
                channel = self._dm_channel(user.id)
                guild = None
            else:
                channel = self._channel(channel_id or self.channel_id)
                guild = self._guild(channel.guild_id) if channel.guild_id else None
            guild_scope = guild.id if guild is not None else None
            scope: int | None
            if command_guild_id != "auto":
                scope = command_guild_id
            elif guild_scope is not None and self._has_command(guild_scope, name):
                scope = guild_scope
            else:
                scope = None  # a global command (or one never synced)
            command_id = self._command_id(scope, 1, name)
            interaction_id = self._ids.next()
            token = f"fake-interaction-{secrets.token_urlsafe(24)}"
            data: dict[str, Any] = {
                "id": str(command_id),
                "name": name,
                "type": 1,
                "options": options,
            }
            if scope is not None:
                data["guild_id"] = str(scope)
            payload: dict[str, Any] = {
                "id": str(interaction_id),
                "application_id": str(self.application_id),
                "type": kind,
                "token": token,
                "version": 1,
                "data": data,
                "channel_id": str(channel.id),
                "channel": channel.payload(self._users),
                "locale": locale,
                "entitlements": [],
                "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            }
            if guild is not None:
                member = guild.member_payload(user)
                member["permissions"] = str(guild.permissions_of(user.id))
                payload.update(
                    guild_id=str(guild.id),
                    guild={"id": str(guild.id), "locale": "en-US", "features": []},
                    guild_locale="en-US",
                    member=member,
                    app_permissions=str(guild.permissions_of(self._bot.id)),
                    authorizing_integration_owners={"0": str(guild.id)},
                    context=0,
                )
            else:
                payload.update(
                    user=user.payload(),
                    app_permissions=str(EVERYONE_PERMISSIONS),
                    authorizing_integration_owners={"0": str(user.id)},
                    context=1,
                )
            sent = SentInteraction(
                id=interaction_id,
                token=token,
                type=kind,
                name=name,
                command_id=command_id,
                options=tuple(_copy(options)),
                guild_id=guild_scope,
                channel_id=channel.id,
                user_id=user.id,
                dispatched_at=time.monotonic(),
                payload=_copy(payload),
            )

        async def register_and_dispatch() -> int:
            # The deadline starts right before the frame goes out, on the fake's clock.
            with self._cond:
                state = _InteractionState(sent=replace(sent, dispatched_at=time.monotonic()))
                self._interactions[interaction_id] = state
                self._interaction_by_token[token] = interaction_id
            return await self._gateway.dispatch("INTERACTION_CREATE", lambda _intents: payload)

        return interaction_id, register_and_dispatch

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

    # ------------------------------------------------------------------ REST plumbing

    def _build_routes(self) -> list[_Route]:
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/users/(?P<user_id>\d+)", self._get_user, True),
            ("POST", r"/users/@me/channels", self._create_dm, True),
            ("GET", r"/oauth2/applications/@me", self._get_application, True),
            ("GET", r"/applications/@me", self._get_application, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway_bot, True),
            ("GET", r"/applications/(?P<app_id>\d+)/commands", self._get_commands, True),
            ("PUT", r"/applications/(?P<app_id>\d+)/commands", self._put_commands, True),
            (
                "GET",
                r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands",
                self._get_commands,
                True,
            ),
            (
                "PUT",
                r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands",
                self._put_commands,
                True,
            ),
            ("GET", r"/guilds/(?P<guild_id>\d+)", self._get_guild, True),
            ("GET", r"/channels/(?P<channel_id>\d+)", self._get_channel, True),
            ("POST", r"/channels/(?P<channel_id>\d+)/messages", self._create_message, True),
            ("POST", r"/channels/(?P<channel_id>\d+)/typing", self._typing, True),
            (
                "GET",
                r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
                self._get_message,
                True,
            ),
            (
                "PATCH",
                r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
                self._edit_message,
                True,
            ),
            (
                "DELETE",
                r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
                self._delete_message,
                True,
            ),
            (
                "POST",
                r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
                self._interaction_callback,
                False,
            ),
            ("POST", r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)", self._followup, False),
            (
                "GET",
                r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
                self._get_webhook_message,
                False,
            ),
            (
                "PATCH",
                r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
                self._edit_webhook_message,
                False,
            ),
            (
                "DELETE",
                r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
                self._delete_webhook_message,
                False,
            ),
        ]
        return [_Route(m, re.compile(p + r"\Z"), h, a) for m, p, h, a in table]

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        body, files, bad_body = await self._read_body(request)
        raw_path = request.path
        path = raw_path[len(API_PREFIX) :] if raw_path.startswith(API_PREFIX + "/") else raw_path
        req = _Request(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            files=files,
            authorization=request.headers.get("Authorization"),
            at=at,
        )
        status, response = await self._route(req, prefixed=path != raw_path, bad_body=bad_body)
        # Commit before answering: a bot that got its answer finds the records in place.
        self._commit(req, status, response)
        return _json_response(status, response)

    def _commit(self, req: _Request, status: int, response: Any) -> None:
        with self._cond:
            for action in req.after:
                action()
            self._requests.append(
                RecordedRequest(
                    method=req.method,
                    path=req.path,
                    query=req.query,
                    json=_copy(req.json),
                    files=req.files,
                    authorization=req.authorization,
                    status=status,
                    response=response,  # handlers answer with objects of their own
                    at=req.at,
                )
            )
            self._cond.notify_all()

    async def _read_body(self, request: web.Request) -> tuple[Any, tuple[str, ...], bool]:
        """(JSON body or multipart ``payload_json``, uploaded file names, unparseable?)"""
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            names: list[str] = []
            payload: Any = None
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    names.append(value.filename)
                elif key == "payload_json":
                    try:
                        payload = json.loads(str(value))
                    except ValueError:
                        return None, tuple(names), True
            return payload, tuple(names), False
        raw = await request.read()
        if not raw:
            return None, (), False
        try:
            return json.loads(raw), (), False
        except ValueError:
            return None, (), True

    async def _route(self, req: _Request, *, prefixed: bool, bad_body: bool) -> tuple[int, Any]:
        with self._cond:
            for fault in self._faults:
                if fault.method == req.method and fault.pattern.fullmatch(req.path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault.status, _copy(fault.body)
        path_matched = False
        for route in self._routes if prefixed else []:
            found = route.pattern.match(req.path)
            if found is None:
                continue
            path_matched = True
            if route.method != req.method:
                continue
            req.params = {k: v for k, v in found.groupdict().items() if v is not None}
            if route.auth and not self._authorized(req.authorization):
                return self._violation(
                    req, "unauthorized", "bad or revoked bot token", 401, 0, "401: Unauthorized"
                )
            if bad_body:
                return self._violation(
                    req,
                    "invalid_json",
                    "unparseable body",
                    400,
                    50109,
                    "The request body contains invalid JSON.",
                )
            return await route.handler(req)
        if path_matched:
            return self._violation(
                req,
                "method_not_allowed",
                f"{req.method} {req.path}",
                405,
                0,
                "405: Method Not Allowed",
            )
        return self._violation(
            req, "unknown_route", f"{req.method} {req.path}", 404, 0, "404: Not Found"
        )

    def _authorized(self, header: str | None) -> bool:
        with self._cond:
            return not self._token_revoked and header is not None and header == f"Bot {self._token}"

    def _violation(
        self,
        req: _Request,
        kind: str,
        detail: str,
        status: int,
        code: int,
        message: str,
        errors: Sequence[limits.FieldError] = (),
    ) -> tuple[int, Any]:
        violation = Violation(
            kind=kind,
            detail=detail,
            method=req.method,
            path=req.path,
            status=status,
            code=code,
            at=req.at,
        )
        req.after.append(lambda: self._violations.append(violation))
        return status, _error(code, message, limits.form_body_errors(errors) if errors else None)

    def _form_error(
        self, req: _Request, kind: str, errors: Sequence[limits.FieldError]
    ) -> tuple[int, Any]:
        detail = "; ".join(str(e) for e in errors)
        return self._violation(
            req, kind, detail, 400, limits.INVALID_FORM_BODY, "Invalid Form Body", errors
        )

    def _check_new_message(
        self, req: _Request, payload: Mapping[str, Any], path: tuple[str, ...] = ()
    ) -> tuple[int, Any] | None:
        errors = limits.check_message(payload, path)
        if errors:
            return self._form_error(req, "invalid_form_body", errors)
        if limits.is_empty_message(payload, file_count=len(req.files)):
            return self._violation(
                req,
                "empty_message",
                "no content, embeds or files",
                400,
                limits.EMPTY_MESSAGE,
                "Cannot send an empty message",
            )
        return None

    def _record_message(
        self,
        req: _Request,
        kind: str,
        payload: Mapping[str, Any] | None,
        status: int,
        response: Any,
        *,
        channel_id: int | None = None,
        interaction_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        payload = _copy(dict(payload or {}))  # the record's own copy, shared inside
        accepted = 200 <= status < 300
        code = None if accepted or not isinstance(response, Mapping) else response.get("code")
        content = payload.get("content")
        embeds = payload.get("embeds") or []
        allowed = payload.get("allowed_mentions")
        record = RecordedMessage(
            kind=kind,
            message_id=message_id if accepted else None,
            channel_id=channel_id,
            interaction_id=interaction_id,
            content=content if isinstance(content, str) else None,
            embeds=tuple(e for e in embeds if isinstance(e, dict)),
            allowed_mentions=allowed if isinstance(allowed, dict) else None,
            flags=int(payload.get("flags") or 0),
            files=req.files,
            payload=payload,
            accepted=accepted,
            status=status,
            error_code=code if isinstance(code, int) else None,
            at=req.at,
        )
        req.after.append(lambda: self._messages.append(record))

    def _attachments(self, req: _Request, channel_id: int) -> list[dict[str, Any]]:
        result = []
        for name in req.files:
            attachment_id = self._ids.next()
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{name}"
            result.append(
                {
                    "id": str(attachment_id),
                    "filename": name,
                    "size": 0,
                    "url": url,
                    "proxy_url": url,
                }
            )
        return result

    # ------------------------------------------------------------------ REST: users & app

    async def _get_me(self, req: _Request) -> tuple[int, Any]:
        with self._cond:
            return 200, self._bot_user_payload()

    async def _get_user(self, req: _Request) -> tuple[int, Any]:
        with self._cond:
            user = self._users.get(int(req.params["user_id"]))
            if user is None:
                return self._violation(
                    req, "unknown_user", req.path, 404, limits.UNKNOWN_USER, "Unknown User"
                )
            return 200, user.payload()

    async def _get_application(self, req: _Request) -> tuple[int, Any]:
        with self._cond:
            return 200, {
                "id": str(self.application_id),
                "name": self._bot.username,
                "description": "",
                "icon": None,
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "bot": self._bot.payload(),
                "owner": self._human.payload(),
                "team": None,
                "summary": "",
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "tags": [],
            }

    async def _get_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, req: _Request) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    async def _create_dm(self, req: _Request) -> tuple[int, Any]:
        body = req.json if isinstance(req.json, dict) else {}
        try:
            user_id = int(body.get("recipient_id", ""))
        except (TypeError, ValueError):
            return self._form_error(
                req,
                "invalid_form_body",
                [
                    limits.FieldError(
                        ("recipient_id",), "BASE_TYPE_REQUIRED", "This field is required"
                    )
                ],
            )
        with self._cond:
            if user_id not in self._users:
                return self._violation(
                    req, "unknown_user", str(user_id), 404, limits.UNKNOWN_USER, "Unknown User"
                )
            return 200, self._dm_channel(user_id).payload(self._users)

    # ------------------------------------------------------------------ REST: commands

    def _check_app(self, req: _Request) -> tuple[int, Any] | None:
        if int(req.params["app_id"]) != self.application_id:
            return self._violation(
                req, "unknown_application", req.path, 403, 50001, "Missing Access"
            )
        guild_id = req.params.get("guild_id")
        if guild_id is not None and int(guild_id) not in self.guild_ids:
            return self._violation(req, "unknown_guild", req.path, 403, 50001, "Missing Access")
        return None

    async def _get_commands(self, req: _Request) -> tuple[int, Any]:
        refused = self._check_app(req)
        if refused:
            return refused
        scope = int(req.params["guild_id"]) if "guild_id" in req.params else None
        with self._cond:
            return 200, _copy(self._synced.get(scope, []))

    async def _put_commands(self, req: _Request) -> tuple[int, Any]:
        refused = self._check_app(req)
        if refused:
            return refused
        errors = limits.check_commands(req.json)
        if errors:
            return self._form_error(req, "invalid_commands", errors)
        scope = int(req.params["guild_id"]) if "guild_id" in req.params else None
        stored = []
        with self._cond:
            for command in req.json:
                kind = int(command.get("type", 1) or 1)
                entry = _copy(command)
                entry.update(
                    id=str(self._command_id(scope, kind, command["name"])),
                    application_id=str(self.application_id),
                    version=str(self._ids.next()),
                    type=kind,
                    default_member_permissions=command.get("default_member_permissions"),
                    nsfw=bool(command.get("nsfw", False)),
                )
                entry.setdefault("description", "")
                entry.setdefault("options", [])
                if scope is not None:
                    entry["guild_id"] = str(scope)
                stored.append(entry)
            self._synced[scope] = stored
            self._sync_count += 1
            self._cond.notify_all()
            return 200, _copy(stored)

    # ------------------------------------------------------------------ REST: channels

    def _channel_for(self, req: _Request) -> tuple[FakeChannel | None, tuple[int, Any] | None]:
        channel_id = int(req.params["channel_id"])
        with self._cond:
            channel = self._channels.get(channel_id)
            forbidden = channel_id in self._forbidden_channels
        if channel is None:
            return None, self._violation(
                req,
                "unknown_channel",
                str(channel_id),
                404,
                limits.UNKNOWN_CHANNEL,
                "Unknown Channel",
            )
        if forbidden:
            return None, self._violation(
                req,
                "missing_permissions",
                str(channel_id),
                403,
                limits.MISSING_PERMISSIONS,
                "Missing Permissions",
            )
        return channel, None

    async def _get_guild(self, req: _Request) -> tuple[int, Any]:
        """A server the bot is in; as on Discord, any other ID is ``403 Missing Access``."""
        with self._cond:
            for guild in self._guilds:
                if guild.id == int(req.params["guild_id"]):
                    return 200, {
                        "id": str(guild.id),
                        "name": guild.name,
                        "owner_id": str(guild.owner_id),
                    }
        return 403, _error(50001, "Missing Access")

    async def _get_channel(self, req: _Request) -> tuple[int, Any]:
        channel, refused = self._channel_for(req)
        if channel is None:
            assert refused is not None
            return refused
        with self._cond:
            return 200, channel.payload(self._users)

    async def _typing(self, req: _Request) -> tuple[int, Any]:
        _channel, refused = self._channel_for(req)
        return refused or (204, None)

    async def _create_message(self, req: _Request) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        channel, refused = self._channel_for(req)
        result = refused or self._check_new_message(req, payload)
        if result is None and channel is not None:
            result = self._check_reference(req, payload)
        if result is None and channel is not None:
            with self._cond:
                guild = self._guild(channel.guild_id) if channel.guild_id else None
                reference = payload.get("message_reference")
                message_id = self._ids.next()
                data = message_payload(
                    message_id=message_id,
                    channel_id=channel.id,
                    author=self._bot,
                    content=str(payload.get("content") or ""),
                    guild=guild,
                    embeds=_copy(payload.get("embeds") or []),
                    message_type=MESSAGE_TYPE_REPLY if reference else MESSAGE_TYPE_DEFAULT,
                    flags=int(payload.get("flags") or 0),
                    attachments=self._attachments(req, channel.id),
                    message_reference=_copy(reference) if reference else None,
                )
                self._stored_messages[message_id] = data
            self._echo(req, "MESSAGE_CREATE", data)
            result = (200, _copy(data))
        else:
            message_id = None
        assert result is not None
        self._record_message(
            req,
            "channel_create",
            payload,
            *result,
            channel_id=int(req.params["channel_id"]),
            message_id=message_id,
        )
        return result

    def _check_reference(self, req: _Request, payload: Mapping[str, Any]) -> tuple[int, Any] | None:
        reference = payload.get("message_reference")
        if not isinstance(reference, Mapping) or reference.get("message_id") is None:
            return None
        with self._cond:
            known = int(reference["message_id"]) in self._stored_messages
        if known or reference.get("fail_if_not_exists") is False:
            return None
        error = limits.FieldError(
            ("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
        )
        return self._form_error(req, "unknown_message_reference", [error])

    def _stored_message(self, req: _Request) -> dict[str, Any] | None:
        with self._cond:
            data = self._stored_messages.get(int(req.params["message_id"]))
            if data is None or int(data["channel_id"]) != int(req.params["channel_id"]):
                return None
            return data

    async def _get_message(self, req: _Request) -> tuple[int, Any]:
        data = self._stored_message(req)
        if data is None:
            return self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        return 200, _copy(data)

    async def _edit_message(self, req: _Request) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        data = self._stored_message(req)
        result: tuple[int, Any]
        if data is None:
            result = self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        elif int(data["author"]["id"]) != self._bot.id:
            result = self._violation(
                req,
                "edit_foreign_message",
                req.path,
                403,
                50005,
                "Cannot edit a message authored by another user",
            )
        else:
            errors = limits.check_message(payload)
            if errors:
                result = self._form_error(req, "invalid_form_body", errors)
            else:
                result = (200, self._apply_edit(data, payload))
                self._echo(req, "MESSAGE_UPDATE", data)
        self._record_message(
            req,
            "channel_edit",
            payload,
            *result,
            channel_id=int(req.params["channel_id"]),
            message_id=int(req.params["message_id"]),
        )
        return result

    async def _delete_message(self, req: _Request) -> tuple[int, Any]:
        data = self._stored_message(req)
        if data is None:
            return self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        with self._cond:
            self._stored_messages.pop(int(req.params["message_id"]), None)
        return 204, None

    def _apply_edit(self, data: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
        with self._cond:
            if "content" in payload:
                data["content"] = payload.get("content") or ""
            if "embeds" in payload:
                data["embeds"] = _copy(payload.get("embeds") or [])
            if "flags" in payload and payload["flags"] is not None:
                data["flags"] = int(payload["flags"]) & ~LOADING_FLAG
            else:
                data["flags"] = int(data.get("flags", 0)) & ~LOADING_FLAG
            data["edited_timestamp"] = message_payload(
                message_id=0, channel_id=0, author=self._bot, content=""
            )["timestamp"]
            return _copy(data)

    # ------------------------------------------------------------------ REST: interactions

    async def _interaction_callback(self, req: _Request) -> tuple[int, Any]:
        interaction_id = int(req.params["interaction_id"])
        body = req.json if isinstance(req.json, dict) else {}
        callback_type = body.get("type")
        data = body.get("data") if isinstance(body.get("data"), dict) else None
        with self._cond:
            state = self._interactions.get(interaction_id)
            known = state is not None and state.sent.token == req.params["token"]
        latency = req.at - state.sent.dispatched_at if state is not None else float("nan")

        result: tuple[int, Any] | None = None
        if state is None or not known:
            result = self._violation(
                req,
                "unknown_interaction",
                f"no interaction {interaction_id} with that token",
                404,
                limits.UNKNOWN_INTERACTION,
                "Unknown interaction",
            )
        elif state.acknowledged:
            result = self._violation(
                req,
                "duplicate_interaction_response",
                f"interaction {interaction_id} already answered with type {state.response_type}",
                400,
                limits.ALREADY_ACKNOWLEDGED,
                "Interaction has already been acknowledged.",
            )
        elif latency > self.interaction_deadline:
            result = self._violation(
                req,
                "late_interaction_response",
                f"initial response {latency:.3f}s after dispatch"
                f" (limit {self.interaction_deadline}s)",
                404,
                limits.UNKNOWN_INTERACTION,
                "Unknown interaction",
            )
        else:
            result = self._check_callback(req, state, callback_type, data)

        message_id: int | None = None
        if result is None:
            assert state is not None and isinstance(callback_type, int)
            result, message_id = self._accept_callback(req, state, callback_type, data)

        status, response = result
        accepted = 200 <= status < 300
        response_record = InteractionResponseRecord(
            interaction_id=interaction_id,
            type=callback_type if isinstance(callback_type, int) else -1,
            data=_copy(data),
            latency=latency,
            accepted=accepted,
            status=status,
            error_code=None if accepted else response.get("code"),
            at=req.at,
        )
        req.after.append(lambda: self._responses.append(response_record))
        if callback_type in (CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE):
            kind = (
                "interaction_response"
                if callback_type == CALLBACK_MESSAGE
                else "interaction_update"
            )
            self._record_message(
                req,
                kind,
                data,
                status,
                response,
                channel_id=state.sent.channel_id if state else None,
                interaction_id=interaction_id,
                message_id=message_id,
            )
        return result

    def _check_callback(
        self,
        req: _Request,
        state: _InteractionState,
        callback_type: Any,
        data: dict[str, Any] | None,
    ) -> tuple[int, Any] | None:
        allowed = _ALLOWED_CALLBACKS.get(state.sent.type, set())
        if callback_type not in allowed:
            error = limits.FieldError(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Callback type {callback_type} is not valid"
                f" for interaction type {state.sent.type}",
            )
            return self._form_error(req, "invalid_callback_type", [error])
        if callback_type == CALLBACK_MESSAGE:
            return self._check_new_message(req, data or {}, ("data",))
        if callback_type == CALLBACK_AUTOCOMPLETE:
            errors = limits.check_autocomplete(data)
            return self._form_error(req, "invalid_autocomplete", errors) if errors else None
        if callback_type == CALLBACK_MODAL:
            missing = [
                limits.FieldError(("data", key), "BASE_TYPE_REQUIRED", "This field is required")
                for key in ("custom_id", "title", "components")
                if not (data or {}).get(key)
            ]
            return self._form_error(req, "invalid_modal", missing) if missing else None
        if data is not None:
            errors = limits.check_message(data, ("data",))
            return self._form_error(req, "invalid_form_body", errors) if errors else None
        return None

    def _accept_callback(
        self,
        req: _Request,
        state: _InteractionState,
        callback_type: int,
        data: dict[str, Any] | None,
    ) -> tuple[tuple[int, Any], int | None]:
        sent = state.sent
        message: dict[str, Any] | None = None
        with self._cond:
            state.acknowledged = True
            state.response_type = callback_type
            if callback_type in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE):
                flags = int((data or {}).get("flags") or 0)
                if callback_type == CALLBACK_DEFERRED_MESSAGE:
                    flags |= LOADING_FLAG
                message = self._interaction_message(sent, data or {}, flags, req)
                state.original = message
                self._echo(req, "MESSAGE_CREATE", message)
        if req.query.get("with_response") not in ("1", "true", "True"):
            return (204, None), int(message["id"]) if message else None
        interaction: dict[str, Any] = {"id": str(sent.id), "type": sent.type}
        response: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=callback_type == CALLBACK_DEFERRED_MESSAGE,
                response_message_ephemeral=bool(int(message["flags"]) & (1 << 6)),
            )
            response["resource"] = {"type": callback_type, "message": _copy(message)}
        return (200, response), int(message["id"]) if message else None

    def _interaction_message(
        self, sent: SentInteraction, data: Mapping[str, Any], flags: int, req: _Request
    ) -> dict[str, Any]:
        guild = self._guild(sent.guild_id) if sent.guild_id else None
        return message_payload(
            message_id=self._ids.next(),
            channel_id=sent.channel_id,
            author=self._bot,
            content=str(data.get("content") or ""),
            guild=guild,
            embeds=_copy(data.get("embeds") or []),
            message_type=MESSAGE_TYPE_CHAT_INPUT_COMMAND,
            webhook_id=self.application_id,
            application_id=self.application_id,
            flags=flags,
            attachments=self._attachments(req, sent.channel_id),
        )

    def _webhook_state(
        self, req: _Request
    ) -> tuple[_InteractionState | None, tuple[int, Any] | None]:
        with self._cond:
            interaction_id = self._interaction_by_token.get(req.params["token"])
            state = self._interactions.get(interaction_id) if interaction_id else None
        if state is None or int(req.params["app_id"]) != self.application_id:
            return None, self._violation(
                req,
                "unknown_webhook",
                "no interaction with that token",
                404,
                limits.UNKNOWN_WEBHOOK,
                "Unknown Webhook",
            )
        age = req.at - state.sent.dispatched_at
        if age > self.followup_window:
            return None, self._violation(
                req,
                "expired_interaction_token",
                f"token used {age:.1f}s after dispatch",
                401,
                limits.INVALID_WEBHOOK_TOKEN,
                "Invalid Webhook Token",
            )
        if not state.acknowledged:
            return None, self._violation(
                req,
                "webhook_before_initial_response",
                f"interaction {state.sent.id} has no initial response yet",
                404,
                limits.UNKNOWN_WEBHOOK,
                "Unknown Webhook",
            )
        return state, None

    def _webhook_message(self, state: _InteractionState, message_ref: str) -> dict[str, Any] | None:
        if message_ref == "@original":
            return state.original
        message_id = int(message_ref)
        if state.original is not None and int(state.original["id"]) == message_id:
            return state.original
        return state.followups.get(message_id)

    async def _followup(self, req: _Request) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        state, refused = self._webhook_state(req)
        result = refused or self._check_new_message(req, payload)
        message_id = None
        if result is None and state is not None:
            with self._cond:
                message = self._interaction_message(
                    state.sent, payload, int(payload.get("flags") or 0), req
                )
                message_id = int(message["id"])
                state.followups[message_id] = message
                self._echo(req, "MESSAGE_CREATE", message)
            wait = req.query.get("wait") in ("1", "true", "True")
            result = (200, _copy(message)) if wait else (204, None)
        assert result is not None
        self._record_message(
            req,
            "followup",
            payload,
            *result,
            channel_id=state.sent.channel_id if state else None,
            interaction_id=state.sent.id if state else None,
            message_id=message_id,
        )
        return result

    async def _get_webhook_message(self, req: _Request) -> tuple[int, Any]:
        state, refused = self._webhook_state(req)
        if state is None:
            assert refused is not None
            return refused
        with self._cond:
            message = self._webhook_message(state, req.params["message_id"])
            if message is not None:
                return 200, _copy(message)
        return self._violation(
            req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
        )

    async def _edit_webhook_message(self, req: _Request) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        original = req.params["message_id"] == "@original"
        state, refused = self._webhook_state(req)
        result = refused
        message: dict[str, Any] | None = None
        if result is None and state is not None:
            with self._cond:
                message = self._webhook_message(state, req.params["message_id"])
            if message is None:
                result = self._violation(
                    req,
                    "unknown_message",
                    req.path,
                    404,
                    limits.UNKNOWN_MESSAGE,
                    "Unknown Message",
                )
            else:
                errors = limits.check_message(payload)
                if errors:
                    result = self._form_error(req, "invalid_form_body", errors)
                else:
                    if req.files:
                        with self._cond:
                            message["attachments"] = self._attachments(req, state.sent.channel_id)
                    result = (200, self._apply_edit(message, payload))
                    self._echo(req, "MESSAGE_UPDATE", message)
        assert result is not None
        self._record_message(
            req,
            "original_edit" if original else "followup_edit",
            payload,
            *result,
            channel_id=state.sent.channel_id if state else None,
            interaction_id=state.sent.id if state else None,
            message_id=int(message["id"]) if message else None,
        )
        return result

    async def _delete_webhook_message(self, req: _Request) -> tuple[int, Any]:
        state, refused = self._webhook_state(req)
        if state is None:
            assert refused is not None
            return refused
        with self._cond:
            message = self._webhook_message(state, req.params["message_id"])
            if message is not None:
                if message is state.original:
                    state.original = None
                else:
                    state.followups.pop(int(message["id"]), None)
                return 204, None
        return self._violation(
            req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
        )


@contextlib.contextmanager
def running_fake(**kwargs: Any) -> Iterator[FakeDiscord]:
    """``with running_fake(...) as fake:`` — a started fake with discord.py pointed at it."""
    with FakeDiscord(**kwargs) as fake, point_discord_py_at(fake):
        yield fake
