"""A fake Slack (Web API, Socket Mode, response_url, HTTP-mode sender) for the test suite.

The server is an aiohttp app on 127.0.0.1 (random port) that runs in its own thread with its
own event loop, so a bot that blocks its event loop cannot hide that from the fake's clock:
ack latencies and the 3-second deadline are measured here, not in the bot's loop.

Usage::

    with FakeSlack() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
        ...
        env_id = await slack.asend_slash_command("https://example.com/a")
        ack = await slack.await_ack(env_id)
        assert ack.latency is not None and ack.latency < 3
        slack.assert_no_violations()

All public methods are thread-safe. Every method that can block (waits, and senders that wait
for a bot to be connected) has an async twin named with an `a` prefix (`wait_ack` ->
`await_ack`, `send_event` -> `asend_event`) that runs the blocking part in a worker thread,
so the caller's event loop (where the bot under test runs) keeps going.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
import uuid
from collections.abc import Coroutine, Sequence
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from .slack_clicks import SlackClicks
from .slack_limits import check_message, parse_blocks
from .slack_records import Ack, ApiCall, Envelope, PostedMessage, ResponsePost, Violation
from .slack_signing import form_body, signed_headers
from .slack_state import _Conn
from .slack_web_api import SlackWebApi

__all__ = [
    "Ack",
    "ApiCall",
    "Envelope",
    "FakeSlack",
    "PostedMessage",
    "ResponsePost",
    "Violation",
]

T = TypeVar("T")


class _NotDelivered(RuntimeError):
    """An envelope could not be written to any open Socket Mode connection."""


class FakeSlack(SlackWebApi, SlackClicks):
    """Fake Slack platform; see the module docstring. Configure it via the constructor:
    tokens, signing secret, ids, `ack_deadline` (3 s), response_url limits (5 posts, 30 min).
    """

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Start the server thread; returns self. Idempotent."""
        if self._loop_thread.loop is None:
            self._loop_thread.start(self._startup, self.startup_timeout)
        return self

    def stop(self) -> None:
        """Close every socket, stop the server and join its thread. Idempotent."""
        self._loop_thread.stop(self._shutdown, 10.0)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _startup(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/respond/{id}", self._handle_respond)
        app.router.add_get("/socket/{n}", self._handle_socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock, shutdown_timeout=1.0)
        await site.start()

    async def _shutdown(self) -> None:
        for timer in self._timers:
            timer.cancel()
        with self._cond:
            conns = list(self._conns.values())
        for conn in conns:
            self._abort(conn)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        return self._loop_thread.submit(coro, timeout)

    # ------------------------------------------------------------------ Socket Mode

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

    def send_slash_command(
        self,
        text: str,
        *,
        command: str = "/summary",
        user_id: str = "U1",
        channel_id: str = "C1",
        connect_timeout: float = 10.0,
        **extra: str,
    ) -> str:
        """Deliver a `slash_commands` envelope; returns the envelope id."""
        payload = self.slash_command_payload(
            text, command=command, user_id=user_id, channel_id=channel_id, **extra
        )
        return self.send_envelope(
            "slash_commands",
            payload,
            accepts_response_payload=True,
            connect_timeout=connect_timeout,
        )

    def send_slash_commands(
        self,
        texts: Sequence[str],
        *,
        command: str = "/summary",
        channel_id: str = "C1",
        timeout: float = 10.0,
    ) -> list[str]:
        """Deliver one `slash_commands` envelope per text, back to back on the newest connection.

        This is how Slack delivers commands that many people send at the same
        moment: one frame after another on the app's socket, each with its own
        3-second deadline. The n-th text comes from user ``U<n>``. Returns the
        envelope ids, in order.
        """
        envelopes = [
            {
                "envelope_id": str(uuid.uuid4()),
                "type": "slash_commands",
                "payload": self.slash_command_payload(
                    text, command=command, user_id=f"U{n}", channel_id=channel_id
                ),
                "accepts_response_payload": True,
            }
            for n, text in enumerate(texts)
        ]
        self.wait_for(lambda: self._newest_ready_conn() is not None, timeout, "a connected bot")

        async def burst() -> list[str]:
            return [await self._send_envelope(envelope) for envelope in envelopes]

        return self._run(burst(), timeout)

    async def asend_slash_command(
        self,
        text: str,
        *,
        command: str = "/summary",
        user_id: str = "U1",
        channel_id: str = "C1",
        connect_timeout: float = 10.0,
        **extra: str,
    ) -> str:
        return await asyncio.to_thread(
            lambda: self.send_slash_command(
                text,
                command=command,
                user_id=user_id,
                channel_id=channel_id,
                connect_timeout=connect_timeout,
                **extra,
            )
        )

    def send_event(
        self,
        event: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connect_timeout: float = 10.0,
    ) -> str:
        """Deliver `event` as an `events_api` envelope; returns the envelope id."""
        return self.send_envelope(
            "events_api",
            self.event_callback(event),
            extra={"retry_attempt": retry_attempt, "retry_reason": retry_reason},
            connect_timeout=connect_timeout,
        )

    async def asend_event(
        self,
        event: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connect_timeout: float = 10.0,
    ) -> str:
        return await asyncio.to_thread(
            lambda: self.send_event(
                event,
                retry_attempt=retry_attempt,
                retry_reason=retry_reason,
                connect_timeout=connect_timeout,
            )
        )

    def send_block_action(
        self,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        user_id: str = "U1",
        action: dict[str, Any] | None = None,
        connect_timeout: float = 10.0,
    ) -> str:
        """Click the element named ``text`` on message ``channel/ts`` as ``user_id``: an
        ``interactive`` envelope with a ``block_actions`` payload; returns the envelope id.

        See :meth:`block_actions_payload` (``action`` forges the action). The click's
        ``response_url`` posts are in :meth:`responses_to`.
        """
        payload = self.block_actions_payload(channel, ts, text, user_id=user_id, action=action)
        return self.send_envelope("interactive", payload, connect_timeout=connect_timeout)

    async def asend_block_action(
        self, channel: str, ts: str, text: str | None = None, **kwargs: Any
    ) -> str:
        return await asyncio.to_thread(lambda: self.send_block_action(channel, ts, text, **kwargs))

    def send_app_mention(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.app_mention_event(text, **kwargs))

    async def asend_app_mention(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.app_mention_event(text, **kwargs))

    def send_im(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.im_message_event(text, **kwargs))

    async def asend_im(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.im_message_event(text, **kwargs))

    def send_own_bot_message(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.own_bot_message_event(text, **kwargs))

    async def asend_own_bot_message(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.own_bot_message_event(text, **kwargs))

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

    # ------------------------------------------------------------------ HTTP mode

    def send_http_slash_command(
        self,
        url: str,
        text: str,
        *,
        signing_secret: str | None = None,
        timestamp: int | str | None = None,
        bad_signature: bool = False,
        stale: bool = False,
        timeout: float = 10.0,
        **fields: str,
    ) -> Ack:
        """POST a signed, form-encoded slash command to a bot's HTTP endpoint (e.g.
        `http://127.0.0.1:PORT/slack/events`) from the fake's own loop, and return the HTTP
        response as an `Ack` (`via="http"`, `status`, `latency`). The command's
        `response_url` points at the fake. `fields` override slash-command form fields.
        """
        payload = self.slash_command_payload(text, **fields)
        body = form_body(payload)
        headers = signed_headers(
            signing_secret if signing_secret is not None else self.signing_secret,
            body,
            timestamp=timestamp,
            bad_signature=bad_signature,
            stale=stale,
        )
        return self._run(self._post_http(url, body, headers, payload, timeout), timeout + 5)

    def send_http_block_action(
        self,
        url: str,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        user_id: str = "U1",
        action: dict[str, Any] | None = None,
        signing_secret: str | None = None,
        bad_signature: bool = False,
        timeout: float = 10.0,
    ) -> Ack:
        """The HTTP-mode twin of :meth:`send_block_action`: POST ``payload=<JSON>``,
        form-encoded and signed, to the bot's endpoint; returns the answer as an ``Ack``
        whose ``envelope_id`` works with :meth:`responses_to`."""
        payload = self.block_actions_payload(channel, ts, text, user_id=user_id, action=action)
        body = form_body({"payload": json.dumps(payload)})
        secret = signing_secret if signing_secret is not None else self.signing_secret
        headers = signed_headers(secret, body, bad_signature=bad_signature)
        post = self._post_http(url, body, headers, payload, timeout, "interactive")
        return self._run(post, timeout + 5)

    async def asend_http_block_action(
        self, url: str, channel: str, ts: str, text: str | None = None, **kwargs: Any
    ) -> Ack:
        return await asyncio.to_thread(
            lambda: self.send_http_block_action(url, channel, ts, text, **kwargs)
        )

    async def asend_http_slash_command(self, url: str, text: str, **kwargs: Any) -> Ack:
        return await asyncio.to_thread(lambda: self.send_http_slash_command(url, text, **kwargs))

    async def _post_http(
        self,
        url: str,
        body: str,
        headers: dict[str, str],
        payload: dict[str, Any],
        timeout: float,
        kind: str = "slash_commands",
    ) -> Ack:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        delivery_id = f"http-{next(self._ids)}"
        with self._cond:
            accepts = kind == "slash_commands"
            env = Envelope(delivery_id, kind, dict(payload), time.monotonic(), 0, accepts)
            self._envelopes[delivery_id] = env
            self._envelope_order.append(delivery_id)
        status: int | None = None
        raw: str | None = None
        ack_payload: dict[str, Any] | None = None
        received: float | None = None
        try:
            async with self._http.post(
                url, data=body.encode(), headers=headers, timeout=aiohttp.ClientTimeout(timeout)
            ) as resp:
                raw = await resp.text()
                received = time.monotonic()
                status = resp.status
                if raw:
                    try:
                        parsed = json.loads(raw)
                        ack_payload = parsed if isinstance(parsed, dict) else {"text": raw}
                    except ValueError:
                        ack_payload = {"text": raw}
        except (aiohttp.ClientError, TimeoutError):
            received = None
        late = received is None or received - env.sent_at > self.ack_deadline
        ack = Ack(
            envelope_id=delivery_id,
            type=kind,
            payload=ack_payload,
            sent_at=env.sent_at,
            received_at=received,
            late=late,
            via="http",
            status=status,
            raw=raw,
        )
        with self._cond:
            self._acked.add(delivery_id)
            self._acks.append(ack)
            self._cond.notify_all()
        if late:
            self._violate("ack_timeout", f"HTTP delivery {delivery_id} not answered in time")
        if status == 200 and ack_payload and received is not None:
            self._check_ack_payload(env, ack_payload, received)
        return ack
