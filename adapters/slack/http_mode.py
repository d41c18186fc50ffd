"""Slack's HTTP mode: Slack posts commands and events to ``/slack/events`` on our server.

Bolt verifies every request's signature (``SLACK_SIGNING_SECRET``); a request
whose timestamp is not even a number is refused before it reaches Bolt. The
health checks (``/healthz``, ``/readyz``) are served on the same port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from adapters.health import Health

__all__ = ["EVENTS_PATH", "HttpMode"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class HttpMode:
    """Serves ``app`` on ``host``:``port`` until stopped (port 0: any free port, then
    :attr:`port`)."""

    def __init__(self, app: AsyncApp, host: str, port: int, health: Health | None) -> None:
        self._app = app
        self._host = host
        self.port = port
        self._health = health

    def __repr__(self) -> str:
        return f"HttpMode({self._host}:{self.port})"

    async def serve(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        """Listen, set ``ready``, serve until ``stop`` is set, then stop listening."""
        web_app = self._app.web_app(path=EVENTS_PATH)
        web_app.middlewares.append(_refuse_malformed_timestamps)
        if self._health is not None:  # /healthz and /readyz on the same port
            self._health.add_routes(web_app)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._host, self.port)
            await site.start()
            self.port = int(runner.addresses[0][1])
            log.info("slack: listening on %s:%d%s", self._host, self.port, EVENTS_PATH)
            ready.set()
            await stop.wait()
        finally:
            await runner.cleanup()

    async def connected(self) -> bool:
        return True


@web.middleware
async def _refuse_malformed_timestamps(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """401 for a request whose ``X-Slack-Request-Timestamp`` is not a number.

    Slack always sends one; Bolt would fail on any other with a 500 and a
    logged traceback per request, a cheap way to fill the log.
    """
    if request.method == "POST" and request.path == EVENTS_PATH:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 20):
            return web.Response(status=401, text="invalid request timestamp")
    return await handler(request)
