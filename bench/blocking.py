"""One big document being summarized must not stall anyone else's commands.

A library holds the bundled article (warm) and the 1 MB document (cold).
While :meth:`Dispatcher.warm` summarizes and indexes the big one in the
dispatcher's thread pool, other users' commands (on the warm article, so
answered on the event loop) go through :meth:`Dispatcher.answer` one after
another, and a ticker measures how late the event loop wakes up: what is
left is the wait for Python's global lock, which the warming thread holds
for a few milliseconds at a time.  Baseline: the same commands when the big document
is summarized on the event loop itself (what a bot that warms inline does):
they wait for all of it.
"""

from __future__ import annotations

import asyncio
import time

from adapters.dispatch import Dispatcher
from bench.table import Row, ms, p50_p99, percentile, times
from bot.articles.library import Entry, Library
from bot.articles.options import Options
from bot.articles.prepared import Unprepared, prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.requests import Request
from bot.text.document import Document

__all__ = ["run"]

GROUP = "1b. commands while a 1 MB document is being summarized"


def _library(bundled: Document, large: Document) -> tuple[ChannelArticles, Unprepared]:
    big = Unprepared("big", large)
    articles: list[Entry] = [prepare("bundled", bundled, Options()), big]
    return ChannelArticles(Library(articles, default="bundled")), big


async def _ticker(stop: asyncio.Event, lags: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - started - 0.001)


async def _off_loop(bundled: Document, large: Document) -> tuple[list[float], list[float], float]:
    library, _ = _library(bundled, large)
    dispatcher = Dispatcher(library)
    stop = asyncio.Event()
    lags: list[float] = []
    ticker = asyncio.create_task(_ticker(stop, lags))
    started = time.perf_counter()
    warming = asyncio.create_task(dispatcher.warm())
    latencies: list[float] = []
    user = 0
    while not warming.done():
        user += 1
        sent = time.perf_counter()
        await asyncio.sleep(0)  # as a command coming in: the loop has to wake up for it
        await dispatcher.answer(read_command("2"), Request(channel="other", user=f"u{user}"))
        latencies.append(time.perf_counter() - sent)
    await warming
    warm_seconds = time.perf_counter() - started
    stop.set()
    await ticker
    dispatcher.close()
    return latencies, lags, warm_seconds


async def _on_loop(bundled: Document, large: Document, commands: int) -> list[float]:
    library, big = _library(bundled, large)
    dispatcher = Dispatcher(library)
    sent = time.perf_counter()
    replies = [
        asyncio.create_task(
            dispatcher.answer(read_command("2"), Request(channel="other", user=f"u{n}"))
        )
        for n in range(commands)
    ]
    await asyncio.sleep(0)
    library.library.article(big)  # prepared inline, on the event loop
    done = await asyncio.gather(*replies)
    assert len(done) == commands
    dispatcher.close()
    return [time.perf_counter() - sent] * commands  # every reply waited for the warm


def run(bundled: Document, large: Document) -> list[Row]:
    latencies, lags, warm_seconds = asyncio.run(_off_loop(bundled, large))
    blocked = asyncio.run(_on_loop(bundled, large, max(len(latencies), 1)))
    ratio = percentile(blocked, 0.99) / percentile(latencies, 0.99)
    return [
        Row(
            GROUP,
            f"`/summary 2` through the Dispatcher while the 1 MB document warms "
            f"({len(latencies)} commands in {ms(warm_seconds)}; p50 / p99)",
            p50_p99(latencies),
            "same, with the document summarized on the event loop",
            p50_p99(blocked),
            times(ratio),
            "not blocked",
            percentile(latencies, 0.99) < warm_seconds / 4,
        ),
        Row(
            GROUP,
            "event-loop lag meanwhile (1 ms ticker; p99 / max)",
            f"{ms(percentile(lags, 0.99))} / {ms(max(lags))}",
        ),
    ]
