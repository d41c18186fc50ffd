"""Per-user rate limiting: N commands in a sliding window of M seconds.

Pure and clock-injected, so tests drive time by hand.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["RateLimiter"]

_MAX_TRACKED_USERS = 10_000


class RateLimiter:
    """Allows ``limit`` events per key in any ``window`` seconds."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window above 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter({self.limit} per {self.window:g}s)"

    def allow(self, key: str) -> bool:
        """Record an attempt by ``key``; False when it is over the limit."""
        now = self._clock()
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and now - events[0] >= self.window:
                events.popleft()
            allowed = len(events) < self.limit
            if allowed:
                events.append(now)
            self._events[key] = events
            while len(self._events) > _MAX_TRACKED_USERS:
                self._events.popitem(last=False)
            return allowed

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may send again (0 when it may now)."""
        with self._lock:
            events = self._events.get(key)
            if not events or len(events) < self.limit:
                return 0.0
            return max(0.0, self.window - (self._clock() - events[0]))
