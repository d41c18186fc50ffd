"""Slack's Socket Mode: one websocket that Slack delivers commands and events through.

The URL comes from ``apps.connections.open`` (with ``SLACK_APP_TOKEN``) and
goes through the proxy ``HTTPS_PROXY``/``NO_PROXY`` give for it. Bolt's
handler reconnects by itself when Slack asks it to or the connection drops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.proxies import Proxies
from adapters.settings import Secret

__all__ = ["SocketMode"]

log = logging.getLogger(__name__)

#: Awaits a Web API call; a refused token becomes a ConfigError naming the variable.
TokenCheck = Callable[[Awaitable[AsyncSlackResponse], str], Awaitable[AsyncSlackResponse]]


class SocketMode:
    """Serves ``app`` over Socket Mode until stopped.

    ``ping_interval`` is how often the connection is checked (the library's
    default when ``None``).
    """

    def __init__(
        self,
        app: AsyncApp,
        token: Secret,
        proxies: Proxies,
        *,
        check_token: TokenCheck,
        ping_interval: float | None = None,
    ) -> None:
        self._app = app
        self._token = token
        self._proxies = proxies
        self._check_token = check_token
        self._ping_interval = ping_interval
        self._handler: AsyncSocketModeHandler | None = None

    def __repr__(self) -> str:
        return f"SocketMode(connected={self._handler is not None})"

    async def serve(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        """Connect, set ``ready``, serve until ``stop`` is set, then close."""
        opened = await self._check_token(
            self._app.client.apps_connections_open(app_token=self._token.reveal()),
            "SLACK_APP_TOKEN",
        )
        handler = (
            AsyncSocketModeHandler(self._app, self._token.reveal())
            if self._ping_interval is None
            else AsyncSocketModeHandler(
                self._app, self._token.reveal(), ping_interval=self._ping_interval
            )
        )
        handler.client.wss_uri = str(opened["url"])
        handler.client.proxy = self._proxies.for_url(handler.client.wss_uri)
        self._handler = handler
        try:
            connected = await _unless_stopped(handler.connect_async(), stop)  # type: ignore[no-untyped-call]
            if connected:
                log.info("slack: connected in Socket Mode")
                ready.set()
                await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]

    async def connected(self) -> bool:
        return self._handler is not None and bool(await self._handler.client.is_connected())


async def _unless_stopped(work: Awaitable[object], stop: asyncio.Event) -> bool:
    """Await ``work`` unless ``stop`` is set first; True if the work finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    task.result()
    return True
