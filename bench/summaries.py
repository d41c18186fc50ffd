"""Item 2: parse and summarize every section of a ~1 MB document, against sumy.

Ours: a fresh :class:`~bot.summarizing.Summarizer`, with the stem memory
emptied (nothing cached: words are tokenized, stemmed and ranked from
scratch), picks 3 sentences of every section.  Baseline: sumy's
``LexRankSummarizer`` on each section in turn, same sentences, stemmer, stop
words and length.  Both must pick the same
sentences.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.baseline import sumy_lexrank, sumy_pick
from bench.table import Row, ms, times
from bot.models import Document
from bot.parsing import parse
from bot.stemming import forget_stems
from bot.summarizing import Summarizer, SummaryLength
from bot.tokenizing import Tokenizer

__all__ = ["SummaryRun", "run"]

LENGTH = SummaryLength(3)
GROUP = "2. every section of the 1 MB document"


@dataclass(frozen=True, slots=True)
class SummaryRun:
    rows: list[Row]
    document: Document
    sumy_seconds: float


def _ours(document: Document, tokenizer: Tokenizer) -> tuple[float, list[tuple[int, ...]]]:
    forget_stems()  # start cold: no word stemmed yet
    summarizer = Summarizer("lex-rank", tokenizer)
    started = time.perf_counter()
    picks = [summarizer.pick(document, s.number, LENGTH) for s in document.sections]
    return time.perf_counter() - started, picks


def _sumy(document: Document, tokenizer: Tokenizer) -> tuple[float, list[tuple[int, ...]]]:
    summarizer = sumy_lexrank()
    started = time.perf_counter()
    picks = [
        sumy_pick(summarizer, s, tokenizer, LENGTH.count_for(len(s.sentences)))
        for s in document.sections
    ]
    return time.perf_counter() - started, picks


def run(text: str, *, repeats: int = 3) -> SummaryRun:
    tokenizer = Tokenizer("english")
    started = time.perf_counter()
    document = parse(text, kind="text", name="python-reference.txt", tokenizer=tokenizer)
    parse_seconds = time.perf_counter() - started
    runs = [_ours(document, tokenizer) for _ in range(repeats)]
    ours_seconds = sorted(seconds for seconds, _ in runs)[len(runs) // 2]
    picks = runs[0][1]
    sumy_seconds, sumy_picks = _sumy(document, tokenizer)
    same = sum(a == b for a, b in zip(picks, sumy_picks, strict=True))
    sizes = sorted(len(s.sentences) for s in document.sections)
    shape = (
        f"{len(text.encode()) / 1e6:.2f} MB, {len(document.sections)} sections, "
        f"{len(document.sentences):,} sentences ({sizes[0]}-{sizes[-1]} a section)"
    )
    ratio = sumy_seconds / ours_seconds
    rows = [
        Row(GROUP, "document", shape),
        Row(GROUP, "parse (bot.parsing, same for both)", ms(parse_seconds)),
        Row(
            GROUP,
            f"LexRank, {LENGTH} sentences of every section (median of {repeats}, cold)",
            ms(ours_seconds),
            "sumy LexRank, section by section",
            ms(sumy_seconds),
            times(ratio),
            ">= 50x",
            ratio >= 50,
        ),
        Row(
            GROUP,
            "parse + summarize",
            ms(parse_seconds + ours_seconds),
            "parse + sumy",
            ms(parse_seconds + sumy_seconds),
            times((parse_seconds + sumy_seconds) / (parse_seconds + ours_seconds)),
        ),
        Row(
            GROUP,
            "same sentences as sumy",
            f"{same}/{len(picks)} sections",
            target="all",
            met=same == len(picks),
        ),
    ]
    return SummaryRun(rows, document, sumy_seconds)
