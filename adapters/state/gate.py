"""What every command passes before the core answers it: the rate limit and a fresh choice.

The dispatcher awaits :meth:`Gate.admit` on its event loop for each command.
A gate counts the command against its sender's limit and makes sure the
channel's choice in memory is what the state store says now, so the core,
which reads only memory, answers as every other process on the same
``STATE_DB`` would. On PostgreSQL both are one round trip
(:mod:`adapters.state.postgres`, off this event loop); with SQLite, or no
store, the limit is this process's own and the choice is looked at in place
(:class:`LocalGate`, microseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bot.chat.rate_limits import RateLimiter

__all__ = ["Gate", "LocalGate", "StoreUnavailable"]


class StoreUnavailable(RuntimeError):
    """The state database cannot be reached just now (the command gets an apology)."""


class Gate(Protocol):
    async def admit(self, channel: str, sender: str) -> float | None:
        """Count a command by ``sender`` and freshen ``channel``'s choice.

        ``None`` when the command may go on, else the seconds until ``sender``
        may send again; raises :class:`StoreUnavailable` when the store is away.
        """
        ...


class LocalGate:
    """This process's rate limit, and an in-place look at the store's choices."""

    def __init__(
        self, limiter: RateLimiter | None, refresh: Callable[[], None] | None = None
    ) -> None:
        self._limiter = limiter
        self._refresh = refresh

    def __repr__(self) -> str:
        return f"LocalGate({self._limiter!r})"

    async def admit(self, channel: str, sender: str) -> float | None:
        if self._refresh is not None:
            self._refresh()
        if self._limiter is None or self._limiter.allow(sender):
            return None
        return self._limiter.retry_after(sender)
