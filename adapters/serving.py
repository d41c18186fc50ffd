"""Run the chat platforms together in one event loop until asked to stop.

Each platform adapter has ``async run(stop)``: it connects, serves until the
``stop`` event is set, lets replies in flight finish, and disconnects; and
``async connected()``, which ``/readyz`` asks.
SIGINT and SIGTERM set the event, so Ctrl-C and ``kill`` both stop cleanly.
With ``HEALTH_PORT`` set, ``/healthz`` and ``/readyz`` (:mod:`adapters.health`)
answer from before the article is prepared until the platforms have stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from typing import Protocol

from adapters.bootstrap import build_rate_limiter
from adapters.dispatch import Dispatcher
from adapters.health import Health, HealthServer, event_check, state_store_check
from adapters.settings import Settings
from adapters.state.store import State
from bot.chat.channel_articles import ChannelArticles

__all__ = ["Platform", "build_platforms", "serve"]

log = logging.getLogger(__name__)


class Platform(Protocol):
    name: str

    async def connected(self) -> bool: ...

    async def run(self, stop: asyncio.Event) -> None: ...


def build_platforms(
    settings: Settings, dispatcher: Dispatcher, health: Health | None = None
) -> list[Platform]:
    platforms: list[Platform] = []
    if settings.slack.enabled:
        from adapters.slack.app import SlackAdapter

        platforms.append(SlackAdapter(settings, dispatcher, health=health))
    if settings.discord.enabled:
        from adapters.discord.client import DiscordAdapter

        platforms.append(DiscordAdapter(settings, dispatcher))
    return platforms


async def serve(
    settings: Settings,
    library: ChannelArticles,
    stop: asyncio.Event | None = None,
    state: State | None = None,
) -> int:
    """Serve every configured platform; returns the exit status.

    With ``state`` (the open ``STATE_DB``) every command passes its gate: the
    rate limit and the channel's choice as the store has it now.
    """
    stop = stop or asyncio.Event()
    dispatcher = Dispatcher(
        library,
        max_concurrent=settings.service.max_concurrent_commands,
        max_concurrent_loads=settings.service.max_concurrent_loads,
        rate_limiter=build_rate_limiter(settings) if state is None else None,
        gate=state.gate if state is not None else None,
    )
    _stop_on_signals(stop)
    stopping = asyncio.create_task(_stop_loads_when(stop, dispatcher), name="stop-loads")
    health, prepared = Health(), asyncio.Event()
    try:
        platforms = build_platforms(settings, dispatcher, health)
        _add_checks(health, settings, prepared, platforms, state)
        async with _health_server(settings, health):
            await dispatcher.warm()
            prepared.set()
            _freeze_startup_objects()
            log.info("serving on %s", ", ".join(p.name for p in platforms))
            tasks = [asyncio.create_task(p.run(stop), name=p.name) for p in platforms]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            failed = [task for task in done if task.exception() is not None]
            if failed:
                stop.set()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise failed[0].exception()  # type: ignore[misc]
            return 0
    finally:
        stopping.cancel()
        dispatcher.close()


async def _stop_loads_when(stop: asyncio.Event, dispatcher: Dispatcher) -> None:
    """Cut page loads short as soon as stopping begins, so that their askers get an
    answer and the platforms' drains need not wait out a slow server."""
    await stop.wait()
    dispatcher.stop_loads()


def _add_checks(
    health: Health,
    settings: Settings,
    prepared: asyncio.Event,
    platforms: list[Platform],
    state: State | None,
) -> None:
    """Ready: the article prepared, the state store reachable, every platform connected."""
    health.add("article", event_check(prepared))
    health.add("state_store", state.reachable if state is not None else state_store_check(settings))
    for platform in platforms:
        health.add(platform.name, platform.connected)


def _health_server(
    settings: Settings, health: Health
) -> contextlib.AbstractAsyncContextManager[object]:
    """The ``HEALTH_PORT`` server, unless that is Slack HTTP mode's port (which serves them)."""
    port = settings.service.health_port
    slack_http = settings.slack.enabled and settings.slack.mode == "http"
    if port is None or (slack_http and port == settings.slack.http_port):
        return contextlib.nullcontext()
    return HealthServer(health, "0.0.0.0", port)


def _freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the articles, their indexes) out of later collections.

    The warm library is hundreds of thousands of long-lived objects; without
    this, each full collection walks them all again (tens of milliseconds, in
    the middle of someone's command).
    """
    gc.collect()
    gc.freeze()


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
