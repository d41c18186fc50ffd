"""``/healthz`` and ``/readyz``: is the process serving, and is it ready to answer.

One :class:`Health` holds named readiness checks; its routes go on the small
:class:`HealthServer` (``HEALTH_PORT``) and, in Slack HTTP mode, on the Slack
server too. ``/healthz`` answers ``200 {"status": "ok"}`` whenever the event
loop runs. ``/readyz`` runs every check (each within ``timeout`` seconds; a
check that raises or is too slow fails) and answers ``200`` when all pass,
``503`` otherwise, with each check's result: ``{"ready": false, "checks":
{"article": true, "state_store": true, "slack": false}}``.

A check is any ``async () -> bool``. The state store's is
:func:`state_store_check`: a store kept elsewhere plugs its own probe in there.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType

from aiohttp import web

from adapters.settings import Settings
from bot.errors import ConfigError

__all__ = [
    "Check",
    "Health",
    "HealthServer",
    "event_check",
    "sqlite_check",
    "state_store_check",
]

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[bool]]


class Health:
    """The readiness checks, by name, and the two routes that report them."""

    def __init__(self, *, timeout: float = 2.0) -> None:
        self._checks: dict[str, Check] = {}
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"Health({sorted(self._checks)})"

    def add(self, name: str, check: Check) -> None:
        self._checks[name] = check

    async def readiness(self) -> dict[str, bool]:
        names = list(self._checks)
        results = await asyncio.gather(*(self._run(name) for name in names))
        return dict(zip(names, results, strict=True))

    async def _run(self, name: str) -> bool:
        try:
            return bool(await asyncio.wait_for(self._checks[name](), self._timeout))
        except Exception as error:
            log.warning("health: the %s check failed (%s)", name, type(error).__name__)
            return False

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, request: web.Request) -> web.Response:
        checks = await self.readiness()
        ready = all(checks.values())
        return web.json_response({"ready": ready, "checks": checks}, status=200 if ready else 503)


class HealthServer:
    """``/healthz`` and ``/readyz`` on a port of their own, while the ``async with`` lasts."""

    def __init__(self, health: Health, host: str, port: int) -> None:
        self._health = health
        self._host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    def __repr__(self) -> str:
        return f"HealthServer({self._host}:{self.port})"

    async def __aenter__(self) -> HealthServer:
        app = web.Application()
        self._health.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._host, self.port).start()
        except OSError as error:
            await self._runner.cleanup()
            raise ConfigError(
                f"HEALTH_PORT: cannot listen on port {self.port} ({error.strerror}); pick another"
            ) from None
        self.port = int(self._runner.addresses[0][1])
        log.info("health: listening on %s:%d (/healthz, /readyz)", self._host, self.port)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def event_check(event: asyncio.Event) -> Check:
    """Ready while ``event`` is set (an article prepared, a platform connected)."""

    async def is_set() -> bool:
        return event.is_set()

    return is_set


def state_store_check(settings: Settings) -> Check:
    """The probe of an SQLite ``STATE_DB`` (an open store brings its own,
    :attr:`adapters.state.store.State.reachable`, which ``serve`` uses)."""
    if isinstance(settings.storage.state_db, Path):
        return sqlite_check(settings.storage.state_db)
    return _not_open


async def _not_open() -> bool:
    return False


def sqlite_check(path: Path) -> Check:
    """Reachable when the file opens and reads, or, not made yet, its folder is writable."""

    async def reachable() -> bool:
        return await asyncio.to_thread(_sqlite_reachable, path)

    return reachable


def _sqlite_reachable(path: Path) -> bool:
    if not path.exists():
        return path.parent.is_dir() and os.access(path.parent, os.W_OK)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return True
