"""The state store ``STATE_DB`` names: an SQLite file or a PostgreSQL database.

:func:`open_state` checks it at start-up (a wrong or foreign schema, or a
database that cannot be reached, is a :class:`ConfigError` naming
``STATE_DB``, without the password) and hands out what the rest needs: the
core's two stores, the dispatcher's :class:`~adapters.state.gate.Gate`, and a
readiness probe.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from adapters.state.gate import Gate, LocalGate
from adapters.state.sqlite_choices import SqliteChoices
from adapters.state.sqlite_file import reading
from adapters.state.sqlite_pages import SqlitePages
from bot.chat.channel_choices import ChoiceStore
from bot.chat.rate_limits import RateLimiter
from bot.errors import ConfigError
from bot.sources.web_pages import PageStore

__all__ = ["State", "open_state"]


async def _always() -> bool:
    return True


def _file_reachable(path: Path) -> Callable[[], Awaitable[bool]]:
    """Reachable when the file reads, or, not made yet, its folder is writable."""

    def look() -> bool:
        if not path.exists():
            return path.parent.is_dir() and os.access(path.parent, os.W_OK)
        try:
            with reading(path) as connection:
                connection.execute("PRAGMA data_version").fetchone()
        except (sqlite3.Error, ConfigError):
            return False
        return True

    async def reachable() -> bool:
        return await asyncio.to_thread(look)

    return reachable


@dataclass(frozen=True, slots=True)
class State:
    """An open state store: the core's stores, the gate every command passes, and more."""

    where: str
    choices: ChoiceStore
    pages: PageStore
    gate: Gate
    #: Whether the store answers now (for ``/readyz``).
    reachable: Callable[[], Awaitable[bool]] = _always
    close: Callable[[], None] = lambda: None
    #: Whether the rate limit is shared by every process on the store.
    shared_limit: bool = False


def open_state(state_db: object, *, limit: int, window: float, pool_size: int = 8) -> State:
    """Open ``STATE_DB`` (a :class:`Path` or a :class:`~adapters.state.url.DatabaseUrl`)."""
    if isinstance(state_db, Path):
        choices = SqliteChoices(state_db).check()
        return State(
            str(state_db),
            choices,
            SqlitePages(state_db),
            LocalGate(RateLimiter(limit, window), choices.refresh),
            reachable=_file_reachable(state_db),
            close=choices.close,
        )
    from adapters.state.postgres import PostgresState
    from adapters.state.url import DatabaseUrl

    assert isinstance(state_db, DatabaseUrl)
    state = PostgresState(state_db, limit=limit, window=window, pool_size=pool_size).open()
    return State(
        state_db.shown,
        state.choices,
        state.pages,
        state,
        reachable=state.ping,
        close=state.close,
        shared_limit=True,
    )
