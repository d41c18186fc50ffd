"""Item 5: how many questions the bot answers, beside two BM25 scripts run on the same text.

``python -m bench answers`` scores the keyword-question set in
``../shared/eval/qa-dev/`` (five Wikipedia articles, 1,877 questions; see its
README): a question is answered at top-k when one of its gold answers is
inside the first k sentences quoted (case-folded, emphasis marks and extra
spaces ignored). Three rankers answer from the same parsed documents (the
bot's sentences and paragraphs):

- the bot: :func:`bot.chat.routing.handle`, as a user would ask, with
  ``ANSWER_COUNT`` 5, its quotes read in order;
- plain BM25 over sentences: Okapi BM25 (k1 1.2, b 0.75) on ``\\w+`` tokens,
  digits kept, sumy's English stop words left out, English Snowball stems;
- the same plus 0.6 x the BM25 of the sentence's paragraph (each score
  divided by its largest for the question).

It also times the bot's answers (p50 / p99 per question). ``--hits FILE`` writes
every hit of the search index instead (sentence, score, matched words, marks), for
the set's questions and for questions on the 1 MB document of :mod:`bench.corpus`,
so that two versions of the index can be compared with ``diff``: a change meant to
make the index faster must leave that file unchanged.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.corpus import large_article
from bench.table import Row, p50_p99, percentile
from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.search.index import SearchIndex, Terms
from bot.sources.files import load_file
from bot.text.document import Document
from bot.text.parsing import parse
from bot.text.stemmers import english_stem, stop_words_for
from bot.text.tokenizer import Tokenizer

__all__ = ["EVAL_DIR", "answered", "load_questions", "main", "run"]

EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "qa-dev"
GROUP = "5. answers to questions (qa-dev)"
TOPS = (1, 3, 5)
_K1, _B = 1.2, 0.75
_PARAGRAPH_WEIGHT = 0.6
_TOKEN = re.compile(r"\w+")
_EMPHASIS = re.compile(r"[*_`]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Question:
    doc: str
    text: str
    answers: tuple[str, ...]


def normalize(text: str) -> str:
    """Case-folded, emphasis marks gone, spaces collapsed: how gold answers are compared."""
    return _SPACES.sub(" ", _EMPHASIS.sub("", text)).casefold().strip()


def answered(question: Question, quoted: Sequence[str]) -> bool:
    """Whether one of the gold answers is inside one of the quoted sentences."""
    texts = [normalize(sentence) for sentence in quoted]
    return any(normalize(gold) in text for gold in question.answers for text in texts)


def load_questions(folder: Path) -> dict[str, list[Question]]:
    """The questions of the set, by document file name, in file order."""
    found: dict[str, list[Question]] = defaultdict(list)
    with (folder / "questions.tsv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            answers = tuple(a for a in row["answers"].split("|") if a.strip())
            found[row["doc"]].append(Question(row["doc"], row["question"], answers))
    return dict(found)


class PlainBM25:
    """The script a user would write: BM25 over sentences, optionally smoothed by paragraphs."""

    def __init__(self, document: Document) -> None:
        self._stop_words = stop_words_for("english")
        self._stems: dict[str, str | None] = {}
        self.sentences = [sentence.text for sentence in document.sentences]
        keys = [(s.section, s.paragraph) for s in document.sentences]
        paragraph_of: dict[tuple[int, int], int] = {}
        self.paragraph = np.array([paragraph_of.setdefault(k, len(paragraph_of)) for k in keys])
        paragraphs: list[list[str]] = [[] for _ in paragraph_of]
        for text, number in zip(self.sentences, self.paragraph.tolist(), strict=True):
            paragraphs[number].append(text)
        self._by_sentence = _Okapi([self._terms(text) for text in self.sentences])
        self._by_paragraph = _Okapi([self._terms(" ".join(p)) for p in paragraphs])

    def _terms(self, text: str) -> list[str]:
        found = []
        for token in _TOKEN.findall(text.lower()):
            if token not in self._stems:
                stop = token in self._stop_words
                self._stems[token] = None if stop else english_stem(token)
            stem = self._stems[token]
            if stem is not None:
                found.append(stem)
        return found

    def rank(self, question: str, limit: int, *, smoothed: bool) -> list[str]:
        terms = set(self._terms(question))
        scores = self._by_sentence.scores(terms)
        if smoothed:
            paragraph = self._by_paragraph.scores(terms)[self.paragraph]
            scores = _by_max(scores) + _PARAGRAPH_WEIGHT * _by_max(paragraph)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [self.sentences[i] for i in order.tolist() if scores[i] > 0]


def _by_max(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


class _Okapi:
    def __init__(self, documents: list[list[str]]) -> None:
        self.counts = [Counter(terms) for terms in documents]
        self.lengths = np.array([len(terms) for terms in documents], dtype=np.float64)
        self.average = float(self.lengths.mean()) if len(documents) else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(documents)
        self.idf = {
            term: math.log(1 + (total - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }

    def scores(self, terms: set[str]) -> npt.NDArray[np.float64]:
        found = np.zeros(len(self.counts), dtype=np.float64)
        norms = (1 - _B) + _B * self.lengths / (self.average or 1.0)
        for index, counts in enumerate(self.counts):
            for term in terms & counts.keys():
                tf = counts[term]
                found[index] += self.idf[term] * tf * (_K1 + 1) / (tf + _K1 * norms[index])
        return found


@dataclass(frozen=True, slots=True)
class Scores:
    """Questions answered at each top-k, out of ``total``."""

    hits: dict[int, int]
    total: int

    def share(self, top: int) -> float:
        return 100.0 * self.hits[top] / self.total if self.total else 0.0

    def __add__(self, other: Scores) -> Scores:
        hits = {top: self.hits[top] + other.hits[top] for top in TOPS}
        return Scores(hits, self.total + other.total)


def _score(questions: Sequence[Question], ranked: Sequence[Sequence[str]]) -> Scores:
    hits = {
        top: sum(answered(q, quoted[:top]) for q, quoted in zip(questions, ranked, strict=True))
        for top in TOPS
    }
    return Scores(hits, len(questions))


def _bot_quotes(library: ChannelArticles, question: str) -> list[str]:
    reply = handle(read_command(question), Request(channel="bench"), library)
    if reply.kind is not Kind.ANSWER:
        return []
    return ["".join(span.text for span in quote.spans) for quote in reply.blocks[0].quotes]


RANKERS = ("bot", "plain BM25", "BM25 + 0.6 x paragraph")


@dataclass(frozen=True, slots=True)
class Results:
    """Each ranker's scores per document, and the bot's answer times."""

    scores: dict[str, dict[str, Scores]]  # ranker -> document -> scores
    seconds: list[float]

    def overall(self, ranker: str) -> Scores:
        found = Scores(dict.fromkeys(TOPS, 0), 0)
        for scores in self.scores[ranker].values():
            found = found + scores
        return found


def evaluate(folder: Path = EVAL_DIR) -> Results:
    """Score the three rankers on every document of the set (the same parsed documents)."""
    questions = load_questions(folder)
    tokenizer = Tokenizer("english")
    scores: dict[str, dict[str, Scores]] = {ranker: {} for ranker in RANKERS}
    seconds: list[float] = []
    for doc in sorted(questions):
        document = load_file(folder / "docs" / doc, tokenizer)
        article = prepare(doc, document, Options(answers=max(TOPS)))
        library = ChannelArticles(Library([article]))
        asked = questions[doc]
        bot: list[list[str]] = []
        for question in asked:
            started = time.perf_counter()
            bot.append(_bot_quotes(library, question.text))
            seconds.append(time.perf_counter() - started)
        plain = PlainBM25(document)
        name = doc.removesuffix(".md")
        scores["bot"][name] = _score(asked, bot)
        scores["plain BM25"][name] = _score(
            asked, [plain.rank(q.text, max(TOPS), smoothed=False) for q in asked]
        )
        scores["BM25 + 0.6 x paragraph"][name] = _score(
            asked, [plain.rank(q.text, max(TOPS), smoothed=True) for q in asked]
        )
    return Results(scores, seconds)


def table(results: Results) -> str:
    """Per document and overall, each ranker's top-1 / top-3 / top-5, as a Markdown table."""
    lines = [
        "| article | questions | " + " | ".join(f"{r} (top-1 / 3 / 5)" for r in RANKERS) + " |",
        "|---|---|" + "---|" * len(RANKERS),
    ]
    names = list(results.scores["bot"])
    rows = [(name, {r: results.scores[r][name] for r in RANKERS}) for name in names]
    rows.append(("**all**", {r: results.overall(r) for r in RANKERS}))
    for name, by_ranker in rows:
        cells = [" / ".join(f"{by_ranker[r].share(top):.1f}" for top in TOPS) for r in RANKERS]
        lines.append(f"| {name} | {by_ranker['bot'].total} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(folder: Path = EVAL_DIR) -> list[Row]:
    """The overall figures as benchmark rows (none when the set is not there)."""
    if not (folder / "questions.tsv").is_file():
        return []
    results = evaluate(folder)
    bot, smoothed = results.overall("bot"), results.overall("BM25 + 0.6 x paragraph")
    plain = results.overall("plain BM25")
    rows = [
        Row(
            GROUP,
            f"answered at top-{top}, {bot.total:,} questions",
            f"{bot.share(top):.1f} %",
            "BM25 + 0.6 x paragraph BM25 (plain BM25)",
            f"{smoothed.share(top):.1f} % ({plain.share(top):.1f} %)",
            f"{bot.share(top) - smoothed.share(top):+.1f} points",
        )
        for top in TOPS
    ]
    rows.append(
        Row(
            GROUP,
            f"bot's answer time (p50 / p99 of {len(results.seconds):,})",
            p50_p99(results.seconds),
        )
    )
    return rows


#: Questions asked of the 1 MB document by ``--hits``, beside one made of every 50th
#: sentence's first words (all kinds of answer, a name, numbers, no match).
LARGE_QUESTIONS = (
    "What is a list?",
    "How many bytes does it take?",
    "When was Python 3 released?",
    "Who wrote the reference?",
    "Which module defines the iterator protocol?",
    "U.S. 16% $11 gold-themed 49ers",
    "nothing-matches-here zzzq",
)


def _index_hits(index: SearchIndex, questions: Sequence[str], label: str) -> list[str]:
    number = {id(sentence): at for at, sentence in enumerate(index.document.sentences)}
    lines = []
    for question in questions:
        for rank, hit in enumerate(index.search(question, max(TOPS)), start=1):
            marks = index.marks(hit.sentence.text, hit.matched)
            lines.append(
                f"{label}\t{question}\t{rank}\t{number[id(hit.sentence)]}\t{hit.score:.12f}"
                f"\t{' '.join(sorted(hit.matched))}\t{marks}"
            )
    return lines


def hits(folder: Path = EVAL_DIR) -> list[str]:
    """Every hit of the search index for the set's questions and the 1 MB document's, as lines."""
    tokenizer = Tokenizer("english")
    lines = []
    for doc, asked in sorted(load_questions(folder).items()):
        index = SearchIndex(load_file(folder / "docs" / doc, tokenizer), Terms(tokenizer))
        lines += _index_hits(index, [q.text for q in asked], doc)
    large = parse(large_article(), kind="text", name="large.txt", tokenizer=tokenizer)
    asked_large = [*LARGE_QUESTIONS]
    asked_large += [" ".join(s.text.split()[:6]) for s in large.sentences[::50]]
    lines += _index_hits(SearchIndex(large, Terms(tokenizer)), asked_large, "large.txt")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench answers", description=__doc__)
    parser.add_argument("--eval", type=Path, default=EVAL_DIR, help="the qa-dev folder")
    parser.add_argument("--hits", type=Path, help="write every hit of the index to this file")
    args = parser.parse_args(argv)
    if not (args.eval / "questions.tsv").is_file():
        print(f"no question set at {args.eval}", file=sys.stderr)
        return 2
    if args.hits is not None:
        found = hits(args.eval)
        args.hits.write_text("\n".join(found) + "\n", encoding="utf-8")
        print(f"{len(found):,} hits written to {args.hits}")
        return 0
    results = evaluate(args.eval)
    print(table(results))
    print(
        f"\nbot's answer time: p50 / p99 {p50_p99(results.seconds)} "
        f"(max {percentile(results.seconds, 1.0) * 1000:.2f} ms)"
    )
    return 0
