"""Run the core for chat adapters: off the event loop, bounded, rate limited.

Every platform adapter sends a :class:`~bot.chat.routing.Message` through
:meth:`Dispatcher.reply_to` and renders the :class:`~bot.chat.replies.Reply` it
gets back. A message the core answers from memory (a warm article: every
summary and the index built, see :func:`bot.chat.routing.is_quick`) is answered
at once, on the event loop: well under a millisecond even for a 1 MB
document. Anything else (the first summaries of a new article, reading the
articles folder, fetching a page) runs in a small thread pool, so one slow
summary never blocks the event loop; a semaphore bounds the work in flight,
and a per-user rate limit answers floods politely, only to the sender.
``/summary load`` runs apart, in :mod:`adapters.loads`: a few at once, one per
user, so slow web servers can never take the workers everyone else needs.

Before either, :meth:`Dispatcher.admit` passes the command through the state
store's :class:`~adapters.state.gate.Gate` (awaited, so the event loop never
waits on the database): the sender's command is counted, shared by every
process on PostgreSQL, and the channel's choice is read as the store has it now.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from adapters.command_log import logged, logged_async
from adapters.loads import LoadSlots, in_daemon_thread
from adapters.state.gate import Gate, LocalGate, StoreUnavailable
from bot.chat.commands import LoadUrl, parse_command
from bot.chat.rate_limits import RateLimiter
from bot.chat.replies import Kind, Reply
from bot.chat.routing import Message, handle, is_quick
from bot.errors import UserFacingError
from bot.library import Library

__all__ = ["APOLOGY", "Dispatcher"]

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
STORE_AWAY = "Sorry, I can't reach my database just now. Please try again in a moment."
#: Admitted messages not yet answered beyond this many are forgotten (a caller that never
#: answered them).
_MAX_ADMITTED = 10_000


class Dispatcher:
    def __init__(
        self,
        library: Library,
        *,
        max_concurrent: int = 8,
        max_concurrent_loads: int = 2,
        rate_limiter: RateLimiter | None = None,
        gate: Gate | None = None,
    ) -> None:
        self.library = library
        self._executor = ThreadPoolExecutor(max_concurrent, thread_name_prefix="summary-core")
        self._slots = asyncio.Semaphore(max_concurrent * 4)
        self._loads = LoadSlots(max_concurrent_loads)
        self._gate: Gate = gate if gate is not None else LocalGate(rate_limiter)
        self._admitted: Counter[tuple[str, str, str]] = Counter()

    def __repr__(self) -> str:
        return f"Dispatcher({self.library!r})"

    def is_quick(self, message: Message) -> bool:
        """Whether ``message`` can be answered at once (:meth:`answer_now`), without a worker.

        Never raises: when in doubt the answer is no, and the worker finds the fault.
        """
        try:
            return is_quick(message, self.library)
        except Exception:
            return False

    async def admit(self, message: Message, *, platform: str = "") -> Reply | None:
        """Pass ``message`` through the gate: a polite refusal (over the rate limit), an
        apology (the state store is away), or ``None``: then answer it with
        :meth:`answer_now` (when :meth:`is_quick`) or :meth:`reply_to`, which does not
        count it again.

        When the channel's choice names a page another process loaded, or a file it
        found in the articles folder, that is read first (in a worker).
        """
        try:
            wait = await self._gate.admit(message.channel, f"{platform}:{message.user}")
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("the state store is away (%s); apologizing", error or "timed out")
            return Reply(Kind.ERROR, "Sorry", note=STORE_AWAY)
        if wait is not None:
            return Reply(
                Kind.ERROR,
                "Slow down a little",
                note=f"You have sent a lot of commands; try again in {wait:.0f} seconds.",
            )
        if not self.library.knows_choice(message.channel):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, self.library.catch_up, message.channel)
        if len(self._admitted) >= _MAX_ADMITTED:
            self._admitted.clear()
        self._admitted[_key(message)] += 1
        return None

    def _answering(self, message: Message) -> bool:
        """Whether :meth:`admit` let ``message`` through (and now it is being answered)."""
        key = _key(message)
        if self._admitted[key] <= 0:
            return False
        self._admitted[key] -= 1
        if self._admitted[key] == 0:
            del self._admitted[key]
        return True

    @logged
    def answer_now(self, message: Message, *, platform: str = "") -> Reply:
        """The reply to a message :meth:`admit` let through and :meth:`is_quick` said yes
        to, on the caller's thread."""
        self._answering(message)
        return handle(message, self.library)

    @logged_async
    async def reply_to(self, message: Message, *, platform: str = "") -> Reply:
        """The core's reply to ``message``, admitted first unless :meth:`admit` was called."""
        if not self._answering(message):
            refusal = await self.admit(message, platform=platform)
            if refusal is not None:
                return refusal
            self._answering(message)
        if self.is_quick(message):
            return self.answer_now(message, platform=platform)
        if _is_load(message):
            return await self._load(message, platform)
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, handle, message, self.library)

    @logged_async
    async def answer_with(
        self, message: Message, work: Callable[[Library], Reply], *, platform: str = ""
    ) -> Reply:
        """Like :meth:`reply_to`, for what is not typed text (a click): ``message`` names its
        channel and sender, ``work`` is the core's answer. Admitted (rate limit, state
        store) and run in the pool the same way."""
        refusal = await self.admit(message, platform=platform)
        if refusal is not None:
            return refusal
        self._answering(message)
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, work, self.library)

    async def _load(self, message: Message, platform: str) -> Reply:
        """A ``load`` in a thread of its own, if the sender and the bot have a slot free."""
        key = f"{platform}:{message.user}"
        busy = self._loads.take(key)
        if busy is not None:
            return Reply(Kind.ERROR, "Not now", note=busy)
        try:
            return await in_daemon_thread(functools.partial(handle, message, self.library))
        finally:
            self._loads.give_back(key)

    def stop_loads(self) -> None:
        """End the page fetches in flight (their askers are told why) and refuse new ones."""
        if self.library.web is not None:
            self.library.web.fetcher.close()

    async def warm(self) -> None:
        """Build every summary and index off the event loop."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self.library.warm)

    def close(self) -> None:
        """Stop: loads are cut short, other commands in the pool are let finish."""
        self.stop_loads()
        self._executor.shutdown(wait=True, cancel_futures=False)


def _is_load(message: Message) -> bool:
    try:
        return isinstance(parse_command(message.text), LoadUrl)
    except UserFacingError:
        return False


def _key(message: Message) -> tuple[str, str, str]:
    return (message.channel, message.user, message.text)


def apology() -> Reply:
    return Reply(Kind.ERROR, "Sorry", note=APOLOGY)
