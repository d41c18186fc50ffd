"""An asyncio event loop in a daemon thread, for the fake platforms.

A fake serves the bot from its own loop and thread, so a test (or the bench)
can drive it with plain blocking calls from any other thread: ``submit`` runs
a coroutine on the fake's loop and waits for its result.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["LoopThread"]

T = TypeVar("T")


class LoopThread:
    """Runs ``startup`` on a new loop in a new thread, then the loop until :meth:`stop`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._startup_error: BaseException | None = None
        self._stopping = False

    def __repr__(self) -> str:
        return f"LoopThread({self.name!r}, running={self.running})"

    @property
    def running(self) -> bool:
        return self._started.is_set() and not self._stopping and self._startup_error is None

    def in_own_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def start(self, startup: Callable[[], Coroutine[Any, Any, None]], timeout: float) -> None:
        """Start the thread and run ``startup()`` there; raises if it fails or takes too long."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} already started")
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._main, args=(self.loop, startup), name=self.name, daemon=True
        )
        self._thread.start()
        if not self._started.wait(timeout):
            raise TimeoutError(f"{self.name} did not start within {timeout} s")
        if self._startup_error is not None:
            raise RuntimeError(f"{self.name} failed to start") from self._startup_error

    def submit(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run ``coro`` on the loop and wait (at most ``timeout``) for its result."""
        loop = self.loop
        if loop is None or not self.running:
            coro.close()
            raise RuntimeError(f"{self.name} is not running")
        if self.in_own_thread():
            coro.close()
            raise RuntimeError(f"{self.name}'s blocking methods called from its own loop")
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    def stop(self, shutdown: Callable[[], Coroutine[Any, Any, None]], timeout: float) -> None:
        """Run ``shutdown()`` on the loop, cancel what is left, stop, join. Idempotent."""
        loop, thread = self.loop, self._thread
        if loop is None or thread is None or self._stopping:
            return
        self._stopping = True
        if thread.is_alive():
            future = asyncio.run_coroutine_threadsafe(shutdown(), loop)
            try:
                future.result(timeout)
            except Exception:  # a broken socket must not keep the thread alive
                future.cancel()
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)

    def _main(
        self, loop: asyncio.AbstractEventLoop, startup: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(startup())
        except BaseException as exc:  # reported to start()
            self._startup_error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
