"""Configuration, records and waiting for the fake Slack server (see slack_fake.py).

All state lives behind one re-entrant condition variable: the server thread records into it
and notifies, test threads read snapshots and wait on it.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from .loop_thread import LoopThread
from .slack_records import (
    Ack,
    ApiCall,
    Envelope,
    PostedMessage,
    ResponsePost,
    SlackMessage,
    Violation,
)

T = TypeVar("T")


@dataclass
class _Fault:
    status: int
    retry_after: float | None
    error: str
    remaining: int


@dataclass
class _Conn:
    id: int
    ws: web.WebSocketResponse
    request: web.Request
    opened_at: float
    ready: bool = False
    closed_at: float | None = None


@dataclass
class _ResponseUrl:
    id: str
    created_at: float
    posts: int = 0
    context: dict[str, Any] = field(default_factory=dict)


class SlackState:
    """State shared by the fake's Web API, Socket Mode and response_url endpoints."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-test",
        extra_tokens: Iterable[str] = (),
        signing_secret: str = "fake-signing-secret",
        team_id: str = "T0FAKE",
        app_id: str = "A0FAKE",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        ack_deadline: float = 3.0,
        response_url_max_posts: int = 5,
        response_url_ttl: float = 30 * 60.0,
        startup_timeout: float = 10.0,
        scopes: str | None = None,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.app_id = app_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.ack_deadline = ack_deadline
        self.response_url_max_posts = response_url_max_posts
        self.response_url_ttl = response_url_ttl
        self.startup_timeout = startup_timeout
        #: What ``X-OAuth-Scopes`` reports for a token (comma-separated); ``None``: the default.
        self.scopes = scopes

        self._cond = threading.Condition(threading.RLock())
        self._tokens: set[str] = {bot_token, app_token, *extra_tokens}
        self._revoked: set[str] = set()
        self._faults: dict[str, list[_Fault]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}

        self._calls: list[ApiCall] = []
        self._messages: list[PostedMessage] = []
        self._message_state: dict[tuple[str, str], dict[str, Any]] = {}
        self._responses: list[ResponsePost] = []
        self._board: dict[tuple[str, str], SlackMessage] = {}  # shown messages
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._envelopes: dict[str, Envelope] = {}
        self._envelope_order: list[str] = []
        self._acks: list[Ack] = []
        self._acked: set[str] = set()
        self._violations: list[Violation] = []
        self._conns: dict[int, _Conn] = {}
        self._conn_total = 0
        self._issued_urls: set[int] = set()

        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._ts_seq = itertools.count(1)

        self._loop_thread = LoopThread("fake-slack")
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._timers: list[asyncio.TimerHandle] = []
        self._port = 0

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` (no trailing slash)."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """`http://127.0.0.1:PORT/api/`, for `WebClient(base_url=...)`."""
        return f"{self.base_url}/api/"

    # ------------------------------------------------------------------ configuration

    def add_token(self, token: str) -> None:
        with self._cond:
            self._tokens.add(token)
            self._revoked.discard(token)

    def revoke(self, token: str) -> None:
        """From now on `token` gets `{"ok": false, "error": "token_revoked"}`."""
        with self._cond:
            self._revoked.add(token)

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: float | None = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status`.

        `method` is a Web API method name, or `"response_url"` for response_url posts.
        429 answers carry `Retry-After: retry_after` and `{"ok": false, "error": "ratelimited"}`.
        """
        default_error = "ratelimited" if status == 429 else "fatal_error"
        fault = _Fault(
            status, retry_after if status == 429 else None, error or default_error, times
        )
        with self._cond:
            self._faults.setdefault(method, []).append(fault)

    def _take_fault(self, method: str) -> _Fault | None:
        with self._cond:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            return fault

    # ------------------------------------------------------------------ records

    @property
    def calls(self) -> list[ApiCall]:
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    @property
    def messages(self) -> list[PostedMessage]:
        with self._cond:
            return list(self._messages)

    def current_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The latest state (after chat.update) of a posted message, or None."""
        with self._cond:
            state = self._message_state.get((channel, ts))
            return dict(state) if state is not None else None

    @property
    def responses(self) -> list[ResponsePost]:
        with self._cond:
            return list(self._responses)

    @property
    def envelopes(self) -> list[Envelope]:
        with self._cond:
            return [self._envelopes[e] for e in self._envelope_order]

    @property
    def acks(self) -> list[Ack]:
        with self._cond:
            return list(self._acks)

    @property
    def violations(self) -> list[Violation]:
        with self._cond:
            return list(self._violations)

    def assert_no_violations(self) -> None:
        found = self.violations
        assert not found, "Slack rule violations:\n" + "\n".join(
            f"  {v.kind}: {v.detail}" for v in found
        )

    @property
    def connection_count(self) -> int:
        """Socket Mode connections accepted so far (open or closed)."""
        with self._cond:
            return self._conn_total

    @property
    def open_connection_count(self) -> int:
        with self._cond:
            return sum(1 for c in self._conns.values() if c.ready)

    def _violate(self, kind: str, detail: str, **context: Any) -> None:
        with self._cond:
            self._violations.append(Violation(kind, detail, time.monotonic(), context))
            self._cond.notify_all()

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the fake's own loop and wait for its result."""
        return self._loop_thread.submit(coro, timeout)

    def _now(self) -> float:
        return time.monotonic()

    def _next_ts(self) -> str:
        return f"{self._ts_base}.{next(self._ts_seq):06d}"

    # ------------------------------------------------------------------ waiting

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
        """Block until `predicate()` is true (re-checked on every recorded event)."""
        with self._cond:
            if self._cond.wait_for(predicate, timeout):
                return
            raise TimeoutError(
                f"FakeSlack: timed out after {timeout}s waiting for {what or 'condition'} "
                f"(calls={len(self._calls)}, acks={len(self._acks)}, "
                f"responses={len(self._responses)}, messages={len(self._messages)}, "
                f"connections={self._conn_total}, violations={len(self._violations)})"
            )

    async def await_for(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = ""
    ) -> None:
        await asyncio.to_thread(self.wait_for, predicate, timeout, what)

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        """Wait for the ack of `envelope_id` and return it."""

        def find() -> Ack | None:
            return next((a for a in self._acks if a.envelope_id == envelope_id), None)

        self.wait_for(lambda: find() is not None, timeout, f"ack of {envelope_id}")
        with self._cond:
            ack = find()
        assert ack is not None
        return ack

    async def await_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        return await asyncio.to_thread(self.wait_ack, envelope_id, timeout)

    def wait_connections(self, total: int, timeout: float = 10.0) -> None:
        """Wait until `total` Socket Mode connections were accepted and one is open."""
        self.wait_for(
            lambda: self._conn_total >= total and self.open_connection_count > 0,
            timeout,
            f"{total} socket connection(s)",
        )

    async def await_connections(self, total: int, timeout: float = 10.0) -> None:
        await asyncio.to_thread(self.wait_connections, total, timeout)

    def wait_responses(self, count: int, timeout: float = 5.0) -> list[ResponsePost]:
        """Wait until at least `count` response_url posts arrived; return all of them."""
        self.wait_for(lambda: len(self._responses) >= count, timeout, f"{count} response(s)")
        return self.responses

    async def await_responses(self, count: int, timeout: float = 5.0) -> list[ResponsePost]:
        return await asyncio.to_thread(self.wait_responses, count, timeout)

    def wait_messages(self, count: int, timeout: float = 5.0) -> list[PostedMessage]:
        """Wait until at least `count` chat.* posts succeeded; return all of them."""
        self.wait_for(lambda: len(self._messages) >= count, timeout, f"{count} message(s)")
        return self.messages

    async def await_messages(self, count: int, timeout: float = 5.0) -> list[PostedMessage]:
        return await asyncio.to_thread(self.wait_messages, count, timeout)

    # ------------------------------------------------------------------ response_url

    def new_response_url(self, **context: Any) -> str:
        """Create a fresh response_url (5 posts within 30 minutes) pointing at the fake."""
        url_id = uuid.uuid4().hex
        with self._cond:
            self._response_urls[url_id] = _ResponseUrl(url_id, time.monotonic(), context=context)
        return f"{self.base_url}/respond/{url_id}"

    def expire_response_url(self, url: str) -> None:
        """Age a response_url beyond its 30 minutes."""
        with self._cond:
            entry = self._response_urls[url.rstrip("/").rsplit("/", 1)[-1]]
            entry.created_at -= self.response_url_ttl + 1
