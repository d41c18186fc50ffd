"""7. What ``STATE_DB`` costs a command: commands per second and added latency, by store.

Each command goes through :class:`adapters.dispatch.Dispatcher` as the chat
adapters send it: :meth:`~adapters.dispatch.Dispatcher.serve` passes the store's
gate (the rate limit and the channel's choice read fresh), then answers
from memory (``/summary 2`` on the warm bundled article, in 20 channels, from
50 users). The baseline is the same dispatcher with no store (choices in
memory, the rate limit in the process), measured in the same run. SQLite is a
file in a temporary folder; PostgreSQL is a real server on 127.0.0.1 started
for the run (``tests/postgres_server.py``; skipped when the machine has none).

``python -m bench.store`` runs this part alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from adapters.dispatch import Dispatcher
from adapters.state.gate import LocalGate
from adapters.state.store import State, open_state
from adapters.state.url import DatabaseUrl
from bench.table import Row, ms, p50_p99, percentile, render
from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import PreparedArticle, prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.rate_limits import RateLimiter
from bot.chat.requests import Request
from bot.sources.files import load_bundled
from bot.text.tokenizer import Tokenizer

__all__ = ["run"]

_LIMIT = 10**9  # no refusals: the limit is counted, never reached
_CHANNELS = 20
_USERS = 50


_SECTION = read_command("2")


def _messages(count: int) -> list[Request]:
    return [
        Request(channel=f"C{n % _CHANNELS}", user=f"U{n % _USERS}", platform="bench")
        for n in range(count)
    ]


async def _one(dispatcher: Dispatcher, request: Request) -> float:
    start = time.perf_counter()
    reply = await dispatcher.answer(_SECTION, request)
    assert reply.blocks, reply  # neither refused nor apologised for
    return time.perf_counter() - start


async def _measure(dispatcher: Dispatcher, count: int, burst: int) -> tuple[list[float], float]:
    """Latencies one at a time, and commands per second in bursts of ``burst`` at once."""
    for message in _messages(50):  # warm up: connections, prepared statements
        await _one(dispatcher, message)
    latencies = [await _one(dispatcher, message) for message in _messages(count)]
    messages = _messages(count)
    start = time.perf_counter()
    for at in range(0, count, burst):
        await asyncio.gather(*(_one(dispatcher, m) for m in messages[at : at + burst]))
    return latencies, count / (time.perf_counter() - start)


def _library(article: PreparedArticle, state: State | None) -> ChannelArticles:
    if state is None:
        return ChannelArticles(Library([article]))
    return ChannelArticles(Library([article]), state.choices)


@contextlib.contextmanager
def _postgres() -> Iterator[str | None]:
    try:
        from tests.postgres_server import PostgresServer

        server = PostgresServer()
        server.start()
    except Exception as error:
        print(f"bench.store: no PostgreSQL here ({error}); skipping it", file=sys.stderr)
        yield None
        return
    try:
        yield server.new_database()
    finally:
        server.remove()


def run(commands: int = 2000, concurrent: int = 50) -> list[Row]:
    article = prepare("bundled", load_bundled(Tokenizer("english")), Options())
    measured: dict[str, tuple[list[float], float]] = {}

    def measure(label: str, state: State | None) -> None:
        gate = state.gate if state is not None else LocalGate(RateLimiter(_LIMIT, 60.0))
        library = _library(article, state)
        library.choices.set("C0", "bundled")
        dispatcher = Dispatcher(library, gate=gate)
        try:
            measured[label] = asyncio.run(_measure(dispatcher, commands, concurrent))
        finally:
            dispatcher.close()

    measure("no store", None)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = open_state(Path(folder) / "state.sqlite3", limit=_LIMIT, window=60.0)
        try:
            measure("SQLite", sqlite)
        finally:
            sqlite.close()
    with _postgres() as url:
        if url is not None:
            postgres = open_state(DatabaseUrl(url), limit=_LIMIT, window=60.0)
            try:
                measure("PostgreSQL", postgres)
            finally:
                postgres.close()
    return _rows(measured, concurrent)


def _rows(measured: dict[str, tuple[list[float], float]], concurrent: int) -> list[Row]:
    base_latencies, base_rate = measured["no store"]
    rows = []
    for label, (latencies, rate) in measured.items():
        if label == "no store":
            continue
        added = [
            ms(max(0.0, percentile(latencies, q) - percentile(base_latencies, q)))
            for q in (0.5, 0.99)
        ]
        rows += [
            Row(
                "7. STATE_DB",
                f"{label}: latency per command p50 / p99 (gate + answer, one at a time)",
                p50_p99(latencies),
                "no store",
                p50_p99(base_latencies),
                f"+{added[0]} / +{added[1]}",
            ),
            Row(
                "7. STATE_DB",
                f"{label}: commands per second, one process, {concurrent} at once",
                f"{rate:,.0f}/s",
                "no store",
                f"{base_rate:,.0f}/s",
                f"{rate / base_rate:.2f}x",
            ),
        ]
    return rows


if __name__ == "__main__":
    print(render(run()))
