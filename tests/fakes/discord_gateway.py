"""The websocket half of the fake Discord server.

It speaks the v10 gateway protocol in plain JSON text frames (discord.py asks for
``compress=zlib-stream`` but decodes text frames as-is): HELLO, heartbeat/ACK, IDENTIFY →
READY + GUILD_CREATEs, RESUME → replay + RESUMED, RECONNECT, INVALID_SESSION and the close
codes Discord uses for protocol and authentication errors.

Events belong to *sessions*, not connections: an event dispatched while a session has no
live connection is kept in its log and replayed on RESUME, as Discord does. Everything here
runs on the fake's own event loop; counters are guarded by the fake's ``threading.Condition``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .discord_records import GatewayConnection, GatewayCounters
from .discord_world import PRIVILEGED_INTENTS

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_VOICE_STATE_UPDATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11
OP_REQUEST_SOUNDBOARD_SOUNDS = 31

CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014

_IGNORED_OPS = {
    OP_PRESENCE_UPDATE,
    OP_VOICE_STATE_UPDATE,
    OP_REQUEST_GUILD_MEMBERS,
    OP_REQUEST_SOUNDBOARD_SOUNDS,
}

# Data for one dispatch, computed per session from that session's intents; None means
# the session's intents do not cover the event.
EventData = Callable[[int], dict[str, Any] | None]
#: A session's shard: (shard id, shard count), as sent in IDENTIFY.
Shard = tuple[int, int]


def shard_of(guild_id: int, count: int) -> int:
    """The shard a guild's events go to: ``(guild_id >> 22) % count``."""
    return (guild_id >> 22) % count


def _reaches(data: dict[str, Any], shard: Shard | None) -> bool:
    """Whether an event goes to a session on ``shard`` (DMs go to shard 0)."""
    if shard is None:
        return True
    shard_id, count = shard
    guild_id = data.get("guild_id")
    if guild_id is None:
        return shard_id == 0
    return shard_of(int(guild_id), count) == shard_id


@dataclass(eq=False)
class _Connection:
    info: GatewayConnection
    ws: web.WebSocketResponse
    transport: asyncio.Transport | None
    session: _Session | None = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def live(self) -> bool:
        return self.session is not None and not self.ws.closed

    async def send(self, payload: dict[str, Any]) -> bool:
        if self.ws.closed:
            return False
        async with self.send_lock:
            try:
                await self.ws.send_str(json.dumps(payload))
            except (ConnectionError, RuntimeError):
                return False
        return True

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.close(code=code, message=reason.encode())

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


@dataclass(eq=False)
class _Session:
    id: str
    intents: int
    shard: Shard | None = None
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)
    conn: _Connection | None = None
    invalidated: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Give the event the next sequence number, log it, send it if connected.

        Callers hold ``self.lock`` so sequence numbers go out in order.
        """
        self.seq += 1
        payload = {"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data}
        self.log.append(payload)
        if self.conn is not None:
            await self.conn.send(payload)


class Gateway:
    """Session bookkeeping and the websocket handler; owned by ``FakeDiscord``."""

    def __init__(
        self,
        *,
        condition: threading.Condition,
        heartbeat_interval_ms: int,
        token_ok: Callable[[Any], bool],
        ready_payload: Callable[[str, Shard | None], dict[str, Any]],
        guild_payloads: Callable[[int, Shard | None], list[dict[str, Any]]],
        allowed_privileged_intents: int,
    ) -> None:
        self._cond = condition
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self._token_ok = token_ok
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self.allowed_privileged_intents = allowed_privileged_intents
        self._connections: list[_Connection] = []
        self._sessions: dict[str, _Session] = {}
        self.connections: list[GatewayConnection] = []
        self.received: list[dict[str, Any]] = []
        self.close_codes: list[int] = []  # codes the fake closed connections with
        self._identifies = 0
        self._resumes = 0
        self._heartbeats = 0
        self._drops = 0
        self._invalid_sessions = 0

    # --- state read by the fake (under its condition) ---------------------------------

    def counters(self) -> GatewayCounters:
        with self._cond:
            return GatewayCounters(
                connections=len(self.connections),
                identifies=self._identifies,
                resumes=self._resumes,
                heartbeats=self._heartbeats,
                drops=self._drops,
                invalid_sessions=self._invalid_sessions,
                live=sum(1 for c in self._connections if c.live),
            )

    def has_session(self) -> bool:
        with self._cond:
            return any(not s.invalidated for s in self._sessions.values())

    def _bump(self, counter: str) -> None:
        with self._cond:
            setattr(self, counter, getattr(self, counter) + 1)
            self._cond.notify_all()

    # --- operations requested by tests (run on the fake's loop) -----------------------

    async def dispatch(self, event: str, data_for: EventData) -> int:
        """Send a dispatch to every valid session; returns how many sessions got it."""
        with self._cond:
            sessions = [s for s in self._sessions.values() if not s.invalidated]
        delivered = 0
        for session in sessions:
            async with session.lock:
                data = data_for(session.intents)
                if data is not None and _reaches(data, session.shard):
                    await session.dispatch(event, data)
                    delivered += 1
        return delivered

    async def drop_connections(self) -> int:
        """Abort every open connection's TCP transport without a close frame."""
        with self._cond:
            conns = [c for c in self._connections if not c.ws.closed]
            self._drops += len(conns)
            self._cond.notify_all()
        for conn in conns:
            conn.abort()
        return len(conns)

    async def send_op(self, op: int, data: Any) -> int:
        with self._cond:
            conns = [c for c in self._connections if c.live]
        for conn in conns:
            await conn.send({"op": op, "d": data, "s": None, "t": None})
        return len(conns)

    async def invalidate_sessions(self, resumable: bool) -> int:
        with self._cond:
            conns = [c for c in self._connections if c.live]
            if not resumable:
                for session in self._sessions.values():
                    session.invalidated = True
            self._invalid_sessions += len(conns)
            self._cond.notify_all()
        for conn in conns:
            await conn.send({"op": OP_INVALID_SESSION, "d": resumable, "s": None, "t": None})
        return len(conns)

    async def close_all(self, code: int, reason: str) -> None:
        with self._cond:
            conns = [c for c in self._connections if not c.ws.closed]
        for conn in conns:
            await self._close(conn, code, reason)

    async def abort_all(self) -> None:
        with self._cond:
            conns = list(self._connections)
        for conn in conns:
            conn.abort()

    # --- the websocket handler ---------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        with self._cond:
            info = GatewayConnection(
                number=len(self.connections) + 1,
                path=request.path,
                query=dict(request.query),
                opened_at=time.monotonic(),
            )
            conn = _Connection(info=info, ws=ws, transport=request.transport)
            self.connections.append(info)
            self._connections.append(conn)
            self._cond.notify_all()
        try:
            if request.query.get("encoding", "json") != "json":
                await self._close(conn, CLOSE_DECODE_ERROR, "Only encoding=json is supported.")
                return ws
            hello = {
                "heartbeat_interval": self.heartbeat_interval_ms,
                "_trace": ['["fake-discord-gateway",{"micros":0}]'],
            }
            await conn.send({"op": OP_HELLO, "d": hello, "s": None, "t": None})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(conn, msg.data)
                elif msg.type is WSMsgType.BINARY:
                    await self._close(conn, CLOSE_DECODE_ERROR, "Binary frames are not expected.")
                if ws.closed:
                    break
        finally:
            with self._cond:
                session = conn.session
                if session is not None and session.conn is conn:
                    session.conn = None
                self._connections.remove(conn)
                self._cond.notify_all()
        return ws

    async def _close(self, conn: _Connection, code: int, reason: str) -> None:
        with self._cond:
            self.close_codes.append(code)
            self._cond.notify_all()
        await conn.close(code, reason)

    async def _on_frame(self, conn: _Connection, text: str) -> None:
        try:
            frame = json.loads(text)
            op = frame["op"]
        except (ValueError, TypeError, KeyError):
            await self._close(conn, CLOSE_DECODE_ERROR, "Decode error.")
            return
        data = frame.get("d")
        with self._cond:
            redacted = dict(frame)
            if isinstance(data, dict) and "token" in data:
                redacted["d"] = {**data, "token": "<redacted>"}
            self.received.append(redacted)
        if op == OP_HEARTBEAT:
            self._bump("_heartbeats")
            await conn.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data)
        elif op == OP_RESUME:
            await self._resume(conn, data)
        elif conn.session is None:
            await self._close(conn, CLOSE_NOT_AUTHENTICATED, "Not authenticated.")
        elif op not in _IGNORED_OPS:
            await self._close(conn, CLOSE_UNKNOWN_OPCODE, "Unknown opcode.")

    async def _identify(self, conn: _Connection, data: Any) -> None:
        if conn.session is not None:
            await self._close(conn, CLOSE_ALREADY_AUTHENTICATED, "Already authenticated.")
            return
        if not isinstance(data, dict) or not self._token_ok(data.get("token")):
            await self._close(conn, CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0:
            await self._close(conn, CLOSE_INVALID_INTENTS, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self.allowed_privileged_intents:
            await self._close(conn, CLOSE_DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None and not _valid_shard(shard):
            await self._close(conn, CLOSE_INVALID_SHARD, "Invalid shard.")
            return
        session = _Session(
            id=uuid.uuid4().hex, intents=intents, shard=tuple(shard) if shard else None
        )
        async with session.lock:
            with self._cond:
                self._sessions[session.id] = session
                session.conn = conn
                conn.session = session
            await session.dispatch("READY", self._ready_payload(session.id, session.shard))
            for guild in self._guild_payloads(intents, session.shard):
                await session.dispatch("GUILD_CREATE", guild)
        if not conn.ws.closed:
            self._bump("_identifies")

    async def _resume(self, conn: _Connection, data: Any) -> None:
        if conn.session is not None:
            await self._close(conn, CLOSE_ALREADY_AUTHENTICATED, "Already authenticated.")
            return
        if not isinstance(data, dict) or not self._token_ok(data.get("token")):
            await self._close(conn, CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return
        with self._cond:
            session = self._sessions.get(str(data.get("session_id")))
        if session is None or session.invalidated:
            self._bump("_invalid_sessions")
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        last_seen = data.get("seq") or 0
        async with session.lock:
            with self._cond:
                previous = session.conn
                session.conn = conn
                conn.session = session
            if previous is not None and previous is not conn and not previous.ws.closed:
                previous.abort()
            for payload in session.log:
                if payload["s"] > last_seen:
                    await conn.send(payload)
            await session.dispatch("RESUMED", {"_trace": ['["fake-discord-gateway",{}]']})
        if not conn.ws.closed:
            self._bump("_resumes")


def _valid_shard(shard: Any) -> bool:
    return (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(n, int) for n in shard)
        and 0 <= shard[0] < shard[1]
    )
