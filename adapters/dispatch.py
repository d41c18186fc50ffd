"""One way from a command to its reply, for every platform and the console.

An adapter reads each platform event once into a
:class:`~bot.chat.commands.Command` and a :class:`~bot.chat.requests.Request`
and hands both to :meth:`Dispatcher.serve`, with its :class:`Replies`: how that
platform sends a reply, and how it tells the asker that one is coming.
:meth:`Dispatcher.serve` is the one place that

- passes the command through the state store's
  :class:`~adapters.state.gate.Gate` (awaited, so the event loop never waits on
  the database): the sender's command is counted against the rate limit,
  shared by every process on PostgreSQL, and the channel's choice is read as
  the store has it now; over the limit the sender alone is answered politely;
- decides how the command runs. One the core answers from memory (a prepared
  article: every summary and the index built, see
  :func:`bot.chat.routing.is_quick`) is answered at once, on the event loop:
  well under a millisecond even for a 1 MB document. Anything else (the first
  summaries of a new article, reading the articles folder) runs in a small
  thread pool, so one slow summary never blocks the event loop, and a
  semaphore bounds the work in flight. ``/summary load`` runs apart, in
  :mod:`adapters.loads`: a few at once, one per user, so slow web servers can
  never take the workers everyone else needs;
- tells the platform that a reply is coming (:meth:`Replies.defer`) when the
  reply is not ready within the platform's :attr:`Replies.defer_after`, and
  asks the platform whether the sender is an admin only for a command that
  needs it (:func:`bot.chat.commands.needs_admin`), after that;
- holds the only fault boundary: any unexpected exception, in the core or in
  sending, is logged with its traceback and the asker gets a short apology,
  never a traceback; the next command is answered as usual.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Protocol

from adapters.command_log import log_answer
from adapters.loads import LoadSlots, in_daemon_thread
from adapters.state.gate import Gate, LocalGate, StoreUnavailable
from bot.chat import notices, routing
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Command, LoadUrl, needs_admin
from bot.chat.rate_limits import RateLimiter
from bot.chat.replies import Reply
from bot.chat.requests import Request

__all__ = ["AdminCheck", "Dispatcher", "KeptReplies", "Replies"]

log = logging.getLogger(__name__)

#: Asks the platform whether the sender administers the workspace or server.
AdminCheck = Callable[[], Awaitable[bool]]


class Replies(Protocol):
    """How one platform answers one command."""

    @property
    def defer_after(self) -> float | None:
        """Seconds the platform waits for a reply before :meth:`defer` must be called
        (0: at once unless answered from memory; ``None``: never)."""
        ...

    async def send(self, reply: Reply) -> None:
        """Show ``reply`` to the asker (private replies only to them, where possible)."""
        ...

    async def defer(self) -> None:
        """Tell the platform and the asker that the reply is coming."""
        ...


class KeptReplies:
    """Replies kept instead of sent: for callers that want the reply itself."""

    defer_after: float | None = None

    def __init__(self) -> None:
        self.sent: list[Reply] = []

    def __repr__(self) -> str:
        return f"KeptReplies({len(self.sent)} sent)"

    async def send(self, reply: Reply) -> None:
        self.sent.append(reply)

    async def defer(self) -> None:
        return None


class Dispatcher:
    def __init__(
        self,
        library: ChannelArticles,
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

    def __repr__(self) -> str:
        return f"Dispatcher({self.library!r})"

    async def serve(
        self,
        command: Command,
        request: Request,
        replies: Replies,
        *,
        is_admin: AdminCheck | None = None,
    ) -> None:
        """Answer ``command`` through ``replies``; never raises (but for cancellation).

        ``is_admin`` is awaited for a command that needs the sender's role, when the
        platform has to be asked (else ``request.is_admin`` stands).
        """
        started = time.perf_counter()
        try:
            reply = await self._reply(command, request, replies, is_admin, started)
        except Exception:
            log.exception("%s: answering in %s failed", _where(request), request.channel or "?")
            reply = notices.apology()
        log_answer(request, reply, time.perf_counter() - started)
        await self._send(replies, reply, request)

    async def answer(self, command: Command, request: Request) -> Reply:
        """The reply :meth:`serve` gives ``command``, kept instead of sent."""
        kept = KeptReplies()
        await self.serve(command, request, kept)
        return kept.sent[-1]

    async def _reply(
        self,
        command: Command,
        request: Request,
        replies: Replies,
        is_admin: AdminCheck | None,
        started: float,
    ) -> Reply:
        refusal = await self._admit(request)
        if refusal is not None:
            return refusal
        if self._is_quick(command, request):
            return routing.handle(command, request, self.library)
        work = asyncio.ensure_future(self._in_worker(command, request, is_admin))
        try:
            return await self._awaiting(work, replies, started)
        finally:
            work.cancel()  # a no-op once done; stops waiting when deferring failed

    async def _admit(self, request: Request) -> Reply | None:
        """A polite refusal (over the rate limit), an apology (the store is away), or None.

        When the channel's choice names a page another process loaded, or a file it
        found in the articles folder, that is read first (in a worker).
        """
        try:
            wait = await self._gate.admit(request.channel, request.sender)
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("the state store is away (%s); apologizing", error or "timed out")
            return notices.store_away()
        if wait is not None:
            return notices.slow_down(wait)
        if not self.library.knows_choice(request.channel):
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, self.library.catch_up, request.channel)
        return None

    def _is_quick(self, command: Command, request: Request) -> bool:
        """Never raises: when in doubt the answer is no, and the worker finds the fault."""
        try:
            return routing.is_quick(command, request, self.library)
        except Exception:
            return False

    async def _awaiting(
        self, work: asyncio.Future[Reply], replies: Replies, started: float
    ) -> Reply:
        """``work``'s reply; the platform is told one is coming if it takes too long."""
        after = replies.defer_after
        if after is not None:
            left = after - (time.perf_counter() - started)  # the gate's time counts too
            if left > 0:
                await asyncio.wait({work}, timeout=left)
            if not work.done():
                await replies.defer()
        return await work

    async def _in_worker(
        self, command: Command, request: Request, is_admin: AdminCheck | None
    ) -> Reply:
        if is_admin is not None and needs_admin(command):
            request = replace(request, is_admin=await is_admin())
        if isinstance(command, LoadUrl):
            return await self._load(command, request)
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, routing.handle, command, request, self.library
            )

    async def _load(self, command: LoadUrl, request: Request) -> Reply:
        """A ``load`` in a thread of its own, if the sender and the bot have a slot free."""
        busy = self._loads.take(request.sender)
        if busy is not None:
            return notices.not_now(busy)
        try:
            return await in_daemon_thread(
                functools.partial(routing.handle, command, request, self.library)
            )
        finally:
            self._loads.give_back(request.sender)

    async def _send(self, replies: Replies, reply: Reply, request: Request) -> None:
        """Send ``reply``; when that fails, the apology (once)."""
        try:
            await replies.send(reply)
            return
        except Exception:
            log.exception("%s: a reply in %s could not be sent", _where(request), request.channel)
        if reply.note == notices.APOLOGY:
            return
        try:
            await replies.send(notices.apology())
        except Exception as error:
            log.warning("%s: could not send the apology either: %s", _where(request), error)

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


def _where(request: Request) -> str:
    return request.platform or "console"
