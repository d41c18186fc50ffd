"""Socket Mode of the fake Slack: connections, envelopes, acks, disconnects."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

import aiohttp
from aiohttp import web

from .slack_clicks import SlackClicks
from .slack_limits import check_message, parse_blocks
from .slack_records import Ack, Envelope, ResponsePost
from .slack_state import _Conn


class _NotDelivered(RuntimeError):
    """An envelope could not be written to any open Socket Mode connection."""


class SlackSocketMode(SlackClicks):
    """Socket Mode connections, envelopes and their acks."""

    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        with self._cond:
            if n not in self._issued_urls:
                raise web.HTTPForbidden(text="unknown socket url")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._cond:
            self._conn_total += 1
            conn = _Conn(self._conn_total, ws, request, time.monotonic())
            self._conns[conn.id] = conn
            num = sum(1 for c in self._conns.values() if c.closed_at is None)
        hello = {
            "type": "hello",
            "num_connections": num,
            "debug_info": {
                "host": "fake-slack",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        try:
            await ws.send_str(json.dumps(hello))
            with self._cond:
                conn.ready = True
                self._cond.notify_all()
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self._on_socket_text(conn, msg.data)
        except (ConnectionError, aiohttp.ClientError):
            pass
        finally:
            with self._cond:
                conn.ready = False
                conn.closed_at = time.monotonic()
                self._conns.pop(conn.id, None)
                self._cond.notify_all()
        return ws

    def _on_socket_text(self, conn: _Conn, data: str) -> None:
        now = time.monotonic()
        try:
            message = json.loads(data)
        except ValueError:
            self._violate("bad_socket_frame", f"non-JSON frame: {data[:200]!r}")
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if not isinstance(envelope_id, str):
            self._violate("bad_socket_frame", f"frame without envelope_id: {data[:200]!r}")
            return
        payload = message.get("payload")
        with self._cond:
            env = self._envelopes.get(envelope_id)
            if env is None:
                self._violate("unknown_ack", f"ack for unknown envelope {envelope_id}")
                return
            if envelope_id in self._acked:
                self._violate("duplicate_ack", f"envelope {envelope_id} acked twice")
                return
            self._acked.add(envelope_id)
            late = now - env.sent_at > self.ack_deadline
            self._acks.append(
                Ack(
                    envelope_id=envelope_id,
                    type=env.type,
                    payload=payload if isinstance(payload, dict) else None,
                    sent_at=env.sent_at,
                    received_at=now,
                    late=late,
                    via="socket",
                    connection_id=conn.id,
                    raw=data,
                )
            )
            self._cond.notify_all()
        if isinstance(payload, dict) and payload:
            self._check_ack_payload(env, payload, now)

    def _check_ack_payload(self, env: Envelope | None, payload: dict[str, Any], at: float) -> None:
        kind = env.type if env is not None else "http"
        if env is not None and not env.accepts_response_payload:
            self._violate("unexpected_ack_payload", f"{kind} ack carries a payload it cannot use")
            return
        if "text" in payload or "blocks" in payload:
            check = check_message(payload)
            if not check.ok:
                self._violate(
                    check.error or "invalid", f"{kind} ack payload: {'; '.join(check.problems)}"
                )
            elif env is not None and env.type == "slash_commands":
                self._record_ack_message(env, payload, at)

    def _record_ack_message(self, env: Envelope, payload: dict[str, Any], at: float) -> None:
        """A slash command's ack that carries a message: Slack shows it like a response_url post.

        It is recorded in :attr:`responses` under the command's ``response_url``,
        with ``via="ack"`` and ``index`` 0 (it does not use up one of the URL's posts).
        """
        url = str(env.payload.get("response_url") or "")
        blocks, _ = parse_blocks(payload.get("blocks"))
        thread_ts = payload.get("thread_ts")
        url_id = url.rstrip("/").rsplit("/", 1)[-1]
        channel, message_ts = self._show_response(url_id, payload, blocks or [], "ack")
        with self._cond:
            self._responses.append(
                ResponsePost(
                    url=url,
                    url_id=url_id,
                    index=0,
                    status=200,
                    error=None,
                    response_type=str(payload.get("response_type") or "ephemeral"),
                    replace_original=None,
                    delete_original=None,
                    thread_ts=str(thread_ts) if thread_ts else None,
                    text=payload.get("text"),
                    blocks=blocks or [],
                    body=dict(payload),
                    at=at,
                    via="ack",
                    channel=channel,
                    message_ts=message_ts,
                )
            )
            self._cond.notify_all()

    def _newest_ready_conn(self) -> _Conn | None:
        with self._cond:
            ready = [c for c in self._conns.values() if c.ready and not c.ws.closed]
        return max(ready, key=lambda c: c.id, default=None)

    async def _send_envelope(self, envelope: dict[str, Any]) -> str:
        conn = self._newest_ready_conn()
        if conn is None:
            raise _NotDelivered("no open Socket Mode connection")
        envelope_id = str(envelope["envelope_id"])
        sent_at = time.monotonic()
        record = Envelope(
            envelope_id=envelope_id,
            type=str(envelope["type"]),
            payload=envelope["payload"],
            sent_at=sent_at,
            connection_id=conn.id,
            accepts_response_payload=bool(envelope.get("accepts_response_payload")),
        )
        with self._cond:
            self._envelopes[envelope_id] = record
            self._envelope_order.append(envelope_id)
        try:
            await conn.ws.send_str(json.dumps(envelope))
        except (ConnectionError, RuntimeError) as exc:
            with self._cond:  # the socket died under us: forget it, let the caller retry
                conn.ready = False
                del self._envelopes[envelope_id]
                self._envelope_order.remove(envelope_id)
            raise _NotDelivered(str(exc)) from exc
        self._timers.append(
            asyncio.get_running_loop().call_later(self.ack_deadline, self._check_acked, envelope_id)
        )
        return envelope_id

    def _check_acked(self, envelope_id: str) -> None:
        with self._cond:
            if envelope_id in self._acked:
                return
        self._violate(
            "ack_timeout",
            f"envelope {envelope_id} not acked within {self.ack_deadline}s",
            envelope_id=envelope_id,
        )

    def send_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        extra: dict[str, Any] | None = None,
        connect_timeout: float = 10.0,
    ) -> str:
        """Deliver any envelope (e.g. `interactive`) on the newest connection; returns its id.

        Waits up to `connect_timeout` for a bot to be connected.
        """
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "type": type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            **(extra or {}),
        }
        deadline = time.monotonic() + connect_timeout
        while True:
            remaining = max(deadline - time.monotonic(), 0.0)
            self.wait_for(
                lambda: self._newest_ready_conn() is not None, remaining, "a connected bot"
            )
            try:
                return self._run(self._send_envelope(envelope), max(remaining, 1.0))
            except _NotDelivered:
                if time.monotonic() >= deadline:
                    raise

    async def asend_envelope(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        extra: dict[str, Any] | None = None,
        connect_timeout: float = 10.0,
    ) -> str:
        return await asyncio.to_thread(
            lambda: self.send_envelope(
                type,
                payload,
                accepts_response_payload=accepts_response_payload,
                extra=extra,
                connect_timeout=connect_timeout,
            )
        )

    def send_disconnect(
        self, reason: str = "refresh_requested", *, close_after: float | None = None
    ) -> int:
        """Send `{"type": "disconnect"}` to every open connection; returns how many.

        With `close_after`, the fake also closes those sockets that many seconds later.
        """
        return self._run(self._disconnect(reason, close_after), 10.0)

    async def asend_disconnect(
        self, reason: str = "refresh_requested", *, close_after: float | None = None
    ) -> int:
        return await asyncio.to_thread(
            lambda: self.send_disconnect(reason, close_after=close_after)
        )

    async def _disconnect(self, reason: str, close_after: float | None) -> int:
        with self._cond:
            conns = [c for c in self._conns.values() if c.ready]
        frame = json.dumps(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        )
        for conn in conns:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await conn.ws.send_str(frame)
            if close_after is not None:
                loop = asyncio.get_running_loop()
                self._timers.append(loop.call_later(close_after, self._abort, conn))
        return len(conns)

    def drop_connections(self) -> int:
        """Abruptly close (TCP abort, no close frame) every socket; returns how many."""
        return self._run(self._drop(), 10.0)

    async def adrop_connections(self) -> int:
        return await asyncio.to_thread(self.drop_connections)

    async def _drop(self) -> int:
        with self._cond:
            conns = list(self._conns.values())
        for conn in conns:
            self._abort(conn)
        return len(conns)

    def _abort(self, conn: _Conn) -> None:
        with self._cond:
            conn.ready = False
            self._cond.notify_all()
        transport = conn.request.transport
        if transport is not None:
            transport.abort()
