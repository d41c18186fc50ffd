"""Admitting commands on PostgreSQL in batches: one round trip for every command waiting.

Each command counts against its sender's sliding window in ``rate_window`` and
reads its channel's choice. Commands that arrive while a round trip is under
way wait for the next one, which takes them all at once (up to
:data:`MAX_BATCH`), so fifty commands at once cost a few round trips, not fifty.
One statement does it all: the senders' rows are updated in name order (so two
statements, from this process or another, never wait on each other in a
circle), each sender gets as many new hits as its window has room for, all
stamped with the statement's own time (so a statement that waited for a row
another one held still counts only its own hits), and the channels' choices
are read in the same snapshot. Runs on the loop that asks (the chat loop);
``run`` crosses to the store's own loop once a batch (see
:mod:`adapters.state.postgres`).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_BATCH", "Admissions"]

#: Commands admitted by one statement at most.
MAX_BATCH = 200
#: Statements under way at once, at most.
MAX_FLIGHTS = 3

_NOW = "extract(epoch FROM statement_timestamp())::float8"
_KEPT = f"ARRAY(SELECT h FROM unnest(w.hits) h WHERE h > {_NOW} - %(window)s ORDER BY h)"
ADMIT = f"""
WITH asked AS (
    SELECT sender, count(*)::int AS k FROM unnest(%(senders)s::text[]) AS s(sender)
    GROUP BY sender
),
hit AS (
    INSERT INTO rate_window AS w (sender, hits)
    SELECT sender, array_fill({_NOW}, ARRAY[least(k, %(limit)s)]) FROM asked ORDER BY sender
    ON CONFLICT (sender) DO UPDATE SET
        hits = {_KEPT}
            || excluded.hits[1:greatest(0, %(limit)s - cardinality({_KEPT}))],
        seen_at = now()
    RETURNING sender, hits[1] AS oldest,
        (SELECT count(*) FROM unnest(hits) h WHERE h = {_NOW})::int AS fresh
)
SELECT 'hit', sender, oldest, fresh, NULL::text FROM hit
UNION ALL
SELECT 'choice', channel, NULL, NULL, article FROM channel_article
    WHERE channel = ANY(%(channels)s::text[])
UNION ALL
SELECT 'now', NULL, {_NOW}, NULL, NULL
"""

Rows = list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class _Asked:
    channel: str
    sender: str
    answer: asyncio.Future[float | None]


class Admissions:
    """Batches admissions; ``run`` sends one statement and returns its rows."""

    def __init__(
        self,
        run: Callable[[str, dict[str, Any]], Awaitable[Rows]],
        remember: Callable[[str, str | None], None],
        *,
        limit: int,
        window: float,
    ) -> None:
        self._run = run
        self._remember = remember
        self._limit = limit
        self._window = window
        self._waiting: list[_Asked] = []
        self._flights: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return f"Admissions({len(self._waiting)} waiting, {len(self._flights)} under way)"

    async def admit(self, channel: str, sender: str) -> float | None:
        """``None`` when the command may go on, else the seconds ``sender`` must wait."""
        asked = _Asked(channel, sender, asyncio.get_running_loop().create_future())
        self._waiting.append(asked)
        if len(self._flights) < MAX_FLIGHTS:
            flight = asyncio.ensure_future(self._fly())
            self._flights.add(flight)
            flight.add_done_callback(self._flights.discard)
        return await asked.answer

    async def _fly(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                rows = await self._run(
                    ADMIT,
                    {
                        "senders": [asked.sender for asked in batch],
                        "channels": sorted({asked.channel for asked in batch}),
                        "limit": self._limit,
                        "window": self._window,
                    },
                )
            except BaseException as error:
                for asked in batch:
                    if not asked.answer.done():
                        asked.answer.set_exception(error)
                if isinstance(error, asyncio.CancelledError):
                    raise
                continue
            self._answer(batch, rows)

    def _within_window(self, wait: float) -> float:
        """``wait``, never more than the window: a hit stamped by a statement that started
        after this one (and committed first) is newer than this statement's own time."""
        return min(self._window, max(0.0, wait))

    def _answer(self, batch: list[_Asked], rows: Rows) -> None:
        hits = {row[1]: (float(row[2]), int(row[3])) for row in rows if row[0] == "hit"}
        choices = {row[1]: row[4] for row in rows if row[0] == "choice"}
        [now] = [float(row[2]) for row in rows if row[0] == "now"]
        for channel in {asked.channel for asked in batch}:
            self._remember(channel, choices.get(channel))
        allowed: Counter[str] = Counter()
        for asked in batch:
            oldest, fresh = hits[asked.sender]
            allowed[asked.sender] += 1
            wait = None if allowed[asked.sender] <= fresh else oldest + self._window - now
            if not asked.answer.done():
                asked.answer.set_result(None if wait is None else self._within_window(wait))
