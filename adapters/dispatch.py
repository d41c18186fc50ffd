"""Run the core for chat adapters: off the event loop, bounded, rate limited.

Every platform adapter sends a :class:`~bot.routing.Message` through
:meth:`Dispatcher.reply_to` and renders the :class:`~bot.replies.Reply` it
gets back. The core runs in a small thread pool, so one slow summary never
blocks the event loop; a semaphore bounds the work in flight, and a per-user
rate limit answers floods politely, only to the sender.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from bot.library import Library
from bot.limits import RateLimiter
from bot.replies import Kind, Reply
from bot.routing import Message, handle

__all__ = ["APOLOGY", "Dispatcher"]

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


class Dispatcher:
    def __init__(
        self,
        library: Library,
        *,
        max_concurrent: int = 8,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        self.library = library
        self._executor = ThreadPoolExecutor(max_concurrent, thread_name_prefix="summary-core")
        self._slots = asyncio.Semaphore(max_concurrent * 4)
        self._limiter = rate_limiter

    def __repr__(self) -> str:
        return f"Dispatcher({self.library!r})"

    async def reply_to(self, message: Message, *, platform: str = "") -> Reply:
        """The core's reply to ``message``, or a polite refusal when over the limit."""
        key = f"{platform}:{message.user}"
        if self._limiter is not None and not self._limiter.allow(key):
            wait = self._limiter.retry_after(key)
            return Reply(
                Kind.ERROR,
                "Slow down a little",
                note=f"You have sent a lot of commands; try again in {wait:.0f} seconds.",
            )
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, handle, message, self.library)

    async def warm(self) -> None:
        """Build every summary and index off the event loop."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self.library.warm)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)


def apology() -> Reply:
    return Reply(Kind.ERROR, "Sorry", note=APOLOGY)
