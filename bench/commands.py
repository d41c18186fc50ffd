"""Item 1: each command's latency in the core, warm, on the bundled article and the 1 MB one.

A command is :func:`bot.chat.routing.handle` on a warmed library: parse the
words, look up the cached summary or search the index, build the reply.
Baseline: what answering the same command takes without the bot's caches,
the way a script calling sumy would do it: sumy's LexRank on the section(s)
asked for, or a BM25 index built for the question.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.baseline import sumy_lexrank, sumy_pick
from bench.table import Row, ms, p50_p99, percentile, times
from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import overview_length, prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.search.index import SearchIndex, Terms
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer

__all__ = ["run"]

GROUP = "1. core latency per command, warm"


def _timed(action: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _command_rows(
    label: str,
    document: Document,
    question: str,
    iterations: int,
    sumy_all_seconds: float | None,
) -> list[Row]:
    tokenizer = Tokenizer(document.language)
    library = ChannelArticles(Library([prepare(label, document, Options())]))
    sumy = sumy_lexrank()
    section = document.section(2)
    overview = overview_length
    commands: list[tuple[str, str, Kind, Callable[[], object], str]] = [
        (
            "/summary",
            "",
            Kind.OVERVIEW,
            lambda: [
                sumy_pick(sumy, s, tokenizer, overview(s).count_for(len(s.sentences)))
                for s in document.sections
            ],
            "sumy on every section",
        ),
        (
            "/summary 2",
            "2",
            Kind.SECTION,
            lambda: sumy_pick(sumy, section, tokenizer, 3),
            "sumy on section 2",
        ),
        (
            "/summary <question>",
            question,
            Kind.ANSWER,
            lambda: SearchIndex(document, Terms(tokenizer)).search(question, 3),
            "BM25 index built per question",
        ),
    ]
    rows = []
    request = Request(channel="bench", user="bench")
    for name, text, kind, baseline, baseline_name in commands:
        reply = handle(read_command(text), request, library)
        if reply.kind is not kind:
            raise RuntimeError(f"{name} on {label} answered {reply.kind}, not {kind}")
        samples = _timed(
            lambda text=text: handle(read_command(text), request, library),  # type: ignore[misc]
            iterations,
        )
        if name == "/summary" and sumy_all_seconds is not None:
            base = [sumy_all_seconds]  # measured in item 2 (3 sentences a section)
        else:
            base = _timed(baseline, max(3, iterations // 100))
        p99 = percentile(samples, 0.99)
        ratio = percentile(base, 0.5) / percentile(samples, 0.5)
        rows.append(
            Row(
                GROUP,
                f"`{name}` on {label} (p50 / p99 of {iterations})",
                p50_p99(samples),
                baseline_name,
                f"{ms(percentile(base, 0.5))} (p50 of {len(base)})",
                times(ratio),
                "p99 <= 5 ms" if "1 MB" in label else "",
                p99 <= 0.005 if "1 MB" in label else None,
            )
        )
    return rows


def run(
    bundled: Document, large: Document, sumy_all_large: float, *, iterations: int = 1000
) -> list[Row]:
    return [
        *_command_rows("the bundled article", bundled, "what did Sarandos say?", iterations, None),
        *_command_rows(
            "the 1 MB document",
            large,
            "how does a with statement call the exit method?",
            iterations,
            sumy_all_large,
        ),
    ]
