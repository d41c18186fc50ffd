"""Benchmark: sumy's LexRank against bot.lexrank.FastLexRankSummarizer.

Builds a ~1 MB document of ~200 sections from real prose that ships with
Python (``pydoc_data.topics``, the reference topics behind ``help()``), sums up
every section with both summarizers (same stemmer, stop words and count) and
checks that they pick the same sentences.  The topics hold about 465 KB of
text, so the sentence stream is read round more than once, each round shifted
by half a section so no two sections are the same.

Run: ``.venv/bin/python bench/bench_lexrank.py [--size BYTES] [--sections N]
[--count 3] [--big SENTENCES]``.  ``--big`` adds one single large section (sumy
takes about a minute on 3,000 sentences).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pydoc_data.topics import topics

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.lexrank import FastLexRankSummarizer
from bot.tokenizing import Tokenizer

Summarizer = Callable[[ObjectDocumentModel, int], tuple[Sentence, ...]]


def topic_sentences(tokenizer: Tokenizer) -> list[str]:
    return [s for name in sorted(topics) for s in tokenizer.to_sentences(topics[name])]


def build_sections(sentences: Sequence[str], size: int, sections: int) -> list[list[str]]:
    """Cut the (repeated, shifted) sentence stream into sections of ~size/sections chars."""
    per_section = size // sections
    average = sum(len(s) + 1 for s in sentences) / len(sentences)
    shift = int(per_section / average / 2)
    result: list[list[str]] = [[]]
    length = 0
    position = 0
    rounds = 0
    while len(result) <= sections:
        if position == len(sentences):
            rounds += 1
            position = (shift * rounds) % len(sentences)
        sentence = sentences[position]
        position += 1
        result[-1].append(sentence)
        length += len(sentence) + 1
        if length >= per_section:
            result.append([])
            length = 0
    return result[:sections]


def to_document(section: Sequence[str], tokenizer: Tokenizer) -> ObjectDocumentModel:
    doc = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in section])])
    for sentence in doc.sentences:
        sentence.words  # noqa: B018  # tokenize outside the timings
    return doc


def run(summarizer: Summarizer, docs: Sequence[ObjectDocumentModel], count: int) -> tuple[
    float, list[tuple[Sentence, ...]]
]:
    picks = []
    started = time.perf_counter()
    for doc in docs:
        picks.append(summarizer(doc, count))
    return time.perf_counter() - started, picks


def report(label: str, docs: Sequence[ObjectDocumentModel], count: int, stemmer: Stemmer) -> None:
    stop_words = get_stop_words("english")
    sumy = LexRankSummarizer(stemmer)
    sumy.stop_words = stop_words
    fast = FastLexRankSummarizer(stemmer)
    fast.stop_words = stop_words
    fast_seconds, fast_picks = run(fast, docs, count)
    sumy_seconds, sumy_picks = run(sumy, docs, count)
    pairs = zip(sumy_picks, fast_picks, strict=True)
    same = all([id(s) for s in a] == [id(s) for s in b] for a, b in pairs)
    sentences = sum(len(doc.sentences) for doc in docs)
    print(
        f"{label:<28} {len(docs):>8} {sentences:>9} {sumy_seconds:>10.2f} {fast_seconds:>10.3f}"
        f" {sumy_seconds / fast_seconds:>8.0f}x  {'yes' if same else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=1_000_000, help="document size in characters")
    parser.add_argument("--sections", type=int, default=200)
    parser.add_argument("--count", type=int, default=3, help="sentences per summary")
    parser.add_argument("--big", type=int, default=0, help="also time one section this large")
    args = parser.parse_args()

    tokenizer = Tokenizer("english")
    stemmer = Stemmer("english")
    sentences = topic_sentences(tokenizer)
    sections = build_sections(sentences, args.size, args.sections)
    characters = sum(len(s) + 1 for section in sections for s in section)
    docs = [to_document(section, tokenizer) for section in sections]
    sizes = sorted(len(doc.sentences) for doc in docs)
    print(
        f"pydoc_data.topics: {len(sentences)} sentences; document: {characters / 1e6:.2f} MB in "
        f"{len(docs)} sections of {sizes[0]}-{sizes[-1]} sentences"
        f" (median {sizes[len(sizes) // 2]})"
        f"; {args.count} sentences per section"
    )
    print(
        f"{'input':<28} {'sections':>8} {'sentences':>9} {'sumy s':>10} {'fast s':>10}"
        f" {'ratio':>9}  same picks"
    )
    report("full document", docs, args.count, stemmer)
    if args.big:
        big = to_document(sentences[: args.big], tokenizer)
        report(f"one {len(big.sentences)}-sentence section", [big], args.count, stemmer)


if __name__ == "__main__":
    main()
