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
        message_id = fake.messages_for(interaction_id)[0].message_id
        click = fake.click(message_id, "Next")  # a button's label or a select option's label
        await fake.wait_for_interaction_response_async(click)
        now = fake.message_now(message_id)  # after a type 7 UPDATE_MESSAGE
        assert not fake.violations

Every message the bot or a user posts is kept with its versions (``message_now``,
``message_history``), ephemeral ones included; components are checked against Discord's
limits (``discord_component_limits``).

The fake is composed of one part per resource: ``discord_state`` (world and records),
``discord_inspection`` (reading and waiting), ``discord_sending`` (gateway events),
``discord_clicks`` (component interactions), ``discord_rest`` (routing and recording),
``discord_rest_app``, ``discord_rest_channels``, ``discord_callbacks`` and
``discord_webhooks`` (REST endpoints).

All public methods are thread-safe. ``wait_*`` methods block the calling thread; inside an
async test use their ``*_async`` twins, which wait in a worker thread so the bot's loop
keeps running. ``send_*`` methods only wait for the fake's own loop and are safe to call
from the bot's loop.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import yarl
from aiohttp import web

from .discord_clicks import DiscordClicks, FoundComponent, find_component
from .discord_records import (
    GatewayCounters,
    InteractionResponseRecord,
    RecordedMessage,
    RecordedRequest,
    SentInteraction,
    Violation,
)
from .discord_rest_app import DiscordAppRest
from .discord_rest_channels import DiscordChannelRest
from .discord_webhooks import DiscordWebhooks
from .discord_wire import (
    Handler,
    RestRoute,
)

__all__ = [
    "DiscordPyPatch",
    "FakeDiscord",
    "FoundComponent",
    "GatewayCounters",
    "InteractionResponseRecord",
    "RecordedMessage",
    "RecordedRequest",
    "SentInteraction",
    "Violation",
    "find_component",
    "point_discord_py_at",
    "running_fake",
]


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


class FakeDiscord(DiscordClicks, DiscordAppRest, DiscordChannelRest, DiscordWebhooks):
    """Fake Discord REST API and gateway; see the module docstring."""

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

    # ------------------------------------------------------------------ REST routes

    def _build_routes(self) -> list[RestRoute]:
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
        return [RestRoute(m, re.compile(p + r"\Z"), h, a) for m, p, h, a in table]


@contextlib.contextmanager
def running_fake(**kwargs: Any) -> Iterator[FakeDiscord]:
    """``with running_fake(...) as fake:`` — a started fake with discord.py pointed at it."""
    with FakeDiscord(**kwargs) as fake, point_discord_py_at(fake):
        yield fake
