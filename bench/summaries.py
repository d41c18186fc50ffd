"""Item 2: parse and summarize every section of a ~1 MB document, against sumy.

Ours: a fresh :class:`~bot.summaries.summarizer.Summarizer`, with the stem memory
emptied (nothing cached: words are tokenized, stemmed and ranked from
scratch), picks 3 sentences of every section.  Baseline: sumy's
``LexRankSummarizer`` on each section in turn, same sentences, stemmer, stop
words and length.  Both must pick the same sentences.

Two forms of the same ~1 MB of prose (``pydoc_data.topics``): the article as
the bot parses it (sentences re-split from paragraphs), and the topic
sentences kept exactly as split (how the issue measured sumy: more, shorter
sentences per section).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.baseline import sumy_lexrank, sumy_pick
from bench.table import Row, ms, times
from bot.summaries.summarizer import Summarizer, SummaryLength
from bot.text.document import Document
from bot.text.parsing import parse
from bot.text.stemmers import forget_stems
from bot.text.tokenizer import Tokenizer

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
    picks = list(summarizer.pick_all(document, LENGTH))
    return time.perf_counter() - started, picks


def _sumy(document: Document, tokenizer: Tokenizer) -> tuple[float, list[tuple[int, ...]]]:
    summarizer = sumy_lexrank()
    started = time.perf_counter()
    picks = [
        sumy_pick(summarizer, s, tokenizer, LENGTH.count_for(len(s.sentences)))
        for s in document.sections
    ]
    return time.perf_counter() - started, picks


def _versus_sumy(
    label: str, document: Document, tokenizer: Tokenizer, repeats: int
) -> tuple[list[Row], float, float]:
    """Ours against sumy on every section of ``document``: rows, sumy's and our seconds."""
    runs = [_ours(document, tokenizer) for _ in range(repeats)]
    ours_seconds = sorted(seconds for seconds, _ in runs)[len(runs) // 2]
    picks = runs[0][1]
    sumy_seconds, sumy_picks = _sumy(document, tokenizer)
    same = sum(a == b for a, b in zip(picks, sumy_picks, strict=True))
    sizes = sorted(len(s.sentences) for s in document.sections)
    ratio = sumy_seconds / ours_seconds
    rows = [
        Row(
            GROUP,
            f"{label}: {len(document.sections)} sections, {len(document.sentences):,} sentences"
            f" ({sizes[0]}-{sizes[-1]} a section); {LENGTH} of each (median of {repeats}, cold)",
            ms(ours_seconds),
            "sumy LexRank, section by section",
            ms(sumy_seconds),
            times(ratio),
            ">= 50x",
            ratio >= 50,
        ),
        Row(
            GROUP,
            f"{label}: same sentences as sumy",
            f"{same}/{len(picks)} sections",
            target="all",
            met=same == len(picks),
        ),
    ]
    return rows, sumy_seconds, ours_seconds


def run(text: str, *, repeats: int = 3, sentence_document: Document | None = None) -> SummaryRun:
    """The parsed 1 MB article, and optionally the same prose split as the issue split it."""
    tokenizer = Tokenizer("english")
    started = time.perf_counter()
    document = parse(text, kind="text", name="python-reference.txt", tokenizer=tokenizer)
    parse_seconds = time.perf_counter() - started
    rows, sumy_seconds, ours_seconds = _versus_sumy("parsed article", document, tokenizer, repeats)
    rows = [
        Row(GROUP, "parsed article", f"{len(text.encode()) / 1e6:.2f} MB of text"),
        Row(GROUP, "parse (bot.text.parsing, same for both)", ms(parse_seconds)),
        *rows,
        Row(
            GROUP,
            "parsed article: parse + summarize",
            ms(parse_seconds + ours_seconds),
            "parse + sumy",
            ms(parse_seconds + sumy_seconds),
            times((parse_seconds + sumy_seconds) / (parse_seconds + ours_seconds)),
        ),
    ]
    if sentence_document is not None:
        rows += _versus_sumy("topic sentences as split", sentence_document, tokenizer, repeats)[0]
    return SummaryRun(rows, document, sumy_seconds)
