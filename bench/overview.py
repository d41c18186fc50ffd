"""``python -m bench overview``: how good the overview is, and what it costs.

Quality: the overview of every paper in an evaluation set of titled papers
with human summaries (by default ``../shared/eval/summaries-dev``: ``docs/<id>.md``
and ``refs/<id>.txt``), scored with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1
(Porter-stemmed, Google's ``rouge-score`` package: ``pip install -e '.[bench]'``)
against the human summary, beside two baselines computed in the same run:
the first sentence of every section, and LexRank's best sentence of every
section (the bot's LexRank, which picks what sumy's does).  The bot's
overview with LexRank (one or two sentences a section) is shown too.  Each
with its median length in words.

Cost: every summary of the 1 MB benchmark document (the overview and each
section's summary), cold, with ``coverage`` against the same with LexRank.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.table import Row, ms
from bot.articles.options import OVERVIEW_WORDS, Options
from bot.articles.prepared import picks_of, prepare
from bot.summaries.summarizer import SummaryLength
from bot.text.document import Document
from bot.text.parsing import parse
from bot.text.stemmers import forget_stems
from bot.text.tokenizer import Tokenizer

__all__ = ["EVAL_DIR", "Scores", "quality_rows", "speed_rows"]

EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "summaries-dev"
QUALITY = "overview quality: ROUGE F1 against human summaries"
SPEED = "overview cost: every summary of the 1 MB document, cold"

#: A method: the picked sentences of a document, in document order.
Method = Callable[[Document], list[str]]


@dataclass(frozen=True, slots=True)
class Scores:
    """Mean ROUGE-1/2/Lsum F1 (in points) and the median length in words."""

    rouge1: float
    rouge2: float
    rouge_lsum: float
    words: float

    def __str__(self) -> str:
        return (
            f"{self.rouge1:.2f} / {self.rouge2:.2f} / {self.rouge_lsum:.2f}"
            f" ({self.words:.0f} words)"
        )


def _papers(folder: Path, tokenizer: Tokenizer) -> list[tuple[Document, str]]:
    papers = []
    for path in sorted((folder / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        document = parse(text, kind="markdown", name=path.name, tokenizer=tokenizer)
        reference = (folder / "refs" / f"{path.stem}.txt").read_text(encoding="utf-8")
        papers.append((document, reference))
    return papers


def score(papers: Sequence[tuple[Document, str]], method: Method) -> Scores:
    from rouge_score import rouge_scorer  # a bench-only extra

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    found: list[tuple[float, float, float]] = []
    lengths: list[int] = []
    for document, reference in papers:
        sentences = method(document)
        lengths.append(sum(len(sentence.split()) for sentence in sentences))
        result = scorer.score(reference, "\n".join(sentences))  # Lsum: a sentence a line
        found.append(tuple(result[key].fmeasure for key in ("rouge1", "rouge2", "rougeLsum")))  # type: ignore[arg-type]
    means = [100 * statistics.fmean(column) for column in zip(*found, strict=True)]
    return Scores(means[0], means[1], means[2], statistics.median(lengths))


def _overview(algorithm: str, words: int = OVERVIEW_WORDS) -> Method:
    def method(document: Document) -> list[str]:
        article = prepare("paper", document, Options(algorithm=algorithm, overview_words=words))
        return [s for section in document.sections for s in article.overview(section)]

    return method


def _first_sentences(document: Document) -> list[str]:
    return [section.sentences[0] for section in document.sections if section.sentences]


def _lexrank_one(document: Document) -> list[str]:
    article = prepare("paper", document, Options(algorithm="lex-rank", length=SummaryLength(1)))
    return [s for section in document.sections for s in article.summary(section)]


def quality_rows(folder: Path = EVAL_DIR) -> list[Row]:
    """The overview against the baselines on every paper of ``folder``."""
    papers = _papers(folder, Tokenizer("english"))
    first = score(papers, _first_sentences)
    ours = score(papers, _overview("coverage"))
    lexrank = score(papers, _lexrank_one)
    old = score(papers, _overview("lex-rank"))
    label = f"{len(papers)} papers, {folder.name}"
    baseline = "first sentence of every section"
    rows = [
        Row(QUALITY, f"{label}: first sentence of every section (R-1 / R-2 / R-Lsum)", str(first)),
        Row(
            QUALITY,
            f"`coverage` overview, {OVERVIEW_WORDS} words",
            str(ours),
            baseline,
            str(first),
            f"{ours.rouge1 - first.rouge1:+.2f} R-1, {ours.rouge2 - first.rouge2:+.2f} R-2",
            "R-1 >= +1.5, R-2 >= +0, 100-200 words",
            ours.rouge1 >= first.rouge1 + 1.5
            and ours.rouge2 >= first.rouge2
            and 100 <= ours.words <= 200,
        ),
        Row(
            QUALITY,
            "LexRank, one sentence a section (same picks as sumy)",
            str(lexrank),
            baseline,
            str(first),
            f"{lexrank.rouge1 - first.rouge1:+.2f} R-1",
        ),
        Row(
            QUALITY,
            "LexRank overview (`SUMMARY_ALGORITHM=lex-rank`: 1-2 sentences a section)",
            str(old),
            baseline,
            str(first),
            f"{old.rouge1 - first.rouge1:+.2f} R-1",
        ),
    ]
    for words in (100, 200):
        other = score(papers, _overview("coverage", words))
        rows.append(Row(QUALITY, f"`coverage` overview, OVERVIEW_WORDS={words}", str(other)))
    return rows


def _prepare(document: Document, algorithm: str) -> float:
    """Seconds to compute the overview and every section's summary from scratch."""
    forget_stems()
    tokenizer = Tokenizer(document.language)
    started = time.perf_counter()
    picks_of(document, Options(algorithm=algorithm), tokenizer)
    return time.perf_counter() - started


def speed_rows(document: Document, repeats: int = 5) -> list[Row]:
    """``coverage`` against LexRank on every summary of ``document`` (median of runs)."""
    ours: list[float] = []
    lexrank: list[float] = []
    for _ in range(repeats):  # interleaved, so both see the same machine load
        ours.append(_prepare(document, "coverage"))
        lexrank.append(_prepare(document, "lex-rank"))
    mine, theirs = statistics.median(ours), statistics.median(lexrank)
    return [
        Row(
            SPEED,
            f"overview + {len(document.sections)} section summaries, `coverage`"
            f" (median of {repeats})",
            ms(mine),
            "the same with `lex-rank`",
            ms(theirs),
            f"{theirs / mine:.2f}x",
            "<= 1.1x lex-rank's",
            mine <= theirs * 1.1,
        )
    ]
