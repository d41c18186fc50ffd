"""``/summary load`` runs apart from every other command: capped, one per user, never waited for.

A load fetches a page from a server anyone may name, so it can take up to its
deadline (``URL_CONNECT_TIMEOUT`` plus ``URL_READ_TIMEOUT``) however the server
behaves. Loads therefore never take the workers other commands need: each runs
in a thread of its own, at most ``limit`` at once and one per user (the rest
are refused politely, at once), and on shutdown :meth:`LoadSlots.stop` ends
the fetches in flight. The threads are daemons, so even a load stuck where a
fetch cannot be interrupted (a DNS lookup) never holds the process open.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from bot.chat.notices import LOADING_EVERY_SLOT, LOADING_YOURS

__all__ = ["LoadSlots", "in_daemon_thread"]

T = TypeVar("T")


class LoadSlots:
    """Who is loading a page now: at most ``limit`` loads, one per user."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._users: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LoadSlots({sum(self._users.values())} of {self.limit} in use)"

    def take(self, user: str) -> str | None:
        """Take a slot for ``user``; ``None`` when taken, else why not (fit for chat)."""
        with self._lock:
            if self._users[user]:
                return LOADING_YOURS
            if sum(self._users.values()) >= self.limit:
                return LOADING_EVERY_SLOT
            self._users[user] += 1
            return None

    def give_back(self, user: str) -> None:
        with self._lock:
            self._users[user] -= 1
            if self._users[user] <= 0:
                del self._users[user]


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """Run ``work`` in a new daemon thread and await its result."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            result = work()
        except BaseException as error:  # handed over to the awaiting task
            _hand_over(loop, _set_exception, future, error)
        else:
            _hand_over(loop, _set_result, future, result)

    threading.Thread(target=run, name="summary-load", daemon=True).start()
    return await future


def _hand_over(loop: asyncio.AbstractEventLoop, *call: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(*call)


def _set_result(future: asyncio.Future[T], result: T) -> None:
    if not future.done():  # not cancelled meanwhile
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
