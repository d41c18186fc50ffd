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
        [reply] = await slack.await_responses(1)  # what the bot posted to the response_url
        env_id = await slack.asend_block_action("C1", reply.message_ts, "Next", user_id="U2")
        await slack.await_ack(env_id)
        shown = slack.message_at("C1", reply.message_ts)  # versions, ephemeral, visible_to
        slack.assert_no_violations()

Messages the bot shows (posted, ephemeral, sent through a response_url or an ack) are kept
with every version: see `message_at`, `seen_by`, `find_action` and `responses_to`.

All public methods are thread-safe. Every method that can block (waits, and senders that wait
for a bot to be connected) has an async twin named with an `a` prefix (`wait_ack` ->
`await_ack`, `send_event` -> `asend_event`) that runs the blocking part in a worker thread,
so the caller's event loop (where the bot under test runs) keeps going.
"""

from __future__ import annotations

import socket
from types import TracebackType

from aiohttp import web

from .slack_board import find_action
from .slack_http_mode import SlackHttpMode
from .slack_records import (
    Ack,
    ApiCall,
    Envelope,
    FoundAction,
    MessageVersion,
    PostedMessage,
    ResponsePost,
    SlackMessage,
    Violation,
)
from .slack_sending import SlackSending
from .slack_web_api import SlackWebApi

__all__ = [
    "Ack",
    "ApiCall",
    "Envelope",
    "FakeSlack",
    "FoundAction",
    "MessageVersion",
    "PostedMessage",
    "ResponsePost",
    "SlackMessage",
    "Violation",
    "find_action",
]


class FakeSlack(SlackWebApi, SlackSending, SlackHttpMode):
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
