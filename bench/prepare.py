"""A child process for item 5: prepare one article from cold, stage by stage.

``python -m bench.prepare ARTICLE`` reads, parses and splits ARTICLE the way
the bot does (``LANGUAGE=auto``), then builds the search index and every
summary (``prepare``'s work), timing each stage (the chunks the index
finds are read again by the summaries, so that word pass counts in the
index's time only); then, with the stem
memory emptied, it times tokenizing every sentence and stemming every
distinct word on their own (the summaries and the index each do both, inside
their own stages).  It prints one JSON line: the stages in seconds, the
counts, the CPU time of the preparation (``process_time``), and the peak
RSS after the preparation (``VmHWM``).

``python -m bench.prepare --sumy ARTICLE`` is the baseline: the article's
text cut into sections at its headings and into sentences by a simple
regular expression (after ``.``, ``!`` or ``?`` and at line breaks), and
sumy's ``LexRankSummarizer`` run on each section (3 sentences), only that
timed.  ``--every K`` runs sumy on one section in K (the time is scaled up
to all sections).  ``--check`` also compares the bot's picks with sumy's on
the bot's own sections (the same sentences for both).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from bench.ready import peak_rss

LENGTH = 3
SECTION_BREAK = re.compile(r"^#{1,6}\s.*$", re.MULTILINE)
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n\s*")


def ours(path: Path) -> dict[str, Any]:
    from bot.articles.options import Options
    from bot.articles.prepared import index_of, picks_of
    from bot.search.terms import Terms
    from bot.sources.files import decode, kind_of
    from bot.text.chunks import sentence_chunks
    from bot.text.parsing import assemble_outline, collector_paused, read_outline
    from bot.text.stemmers import WordTerms, forget_stems, stop_words_for
    from bot.text.tokenizer import Tokenizer

    name = str(path)
    clock = time.perf_counter
    cpu = time.process_time()
    started = clock()
    text = decode(path.read_bytes(), name)
    read = clock()
    with collector_paused():  # as bot.text.parsing.parse reads
        outline = read_outline(text, kind=kind_of(name))
        del text  # as the bot reads it: only the document is kept
        parsed = clock()
        document = assemble_outline(outline, name=name, tokenizer=Tokenizer.detecting())
        del outline
    split = clock()
    terms = Terms(Tokenizer(document.language))
    # As prepare(): the chunks once (counted in the index's time), the index, every summary.
    chunks = sentence_chunks(document)
    index = index_of(document, terms, chunks)
    indexed = clock()
    picks = picks_of(document, Options(), terms.tokenizer, chunks)
    warm = clock()
    del index, picks
    cpu = time.process_time() - cpu
    rss = peak_rss()
    forget_stems()
    tokenizer = Tokenizer(document.language)
    words = tokenizer.word_ids([sentence.text for sentence in document.sentences])
    tokenized = clock()
    stop_words = frozenset(word.lower() for word in stop_words_for(document.language))
    WordTerms(document.language, stop_words).many(words.words)
    stemmed = clock()
    return {
        "read": read - started,
        "parse": parsed - read,
        "split": split - parsed,
        "index": indexed - split,
        "summarize": warm - indexed,
        "total": warm - started,
        "cpu": cpu,
        "tokenize": tokenized - warm,
        "stem": stemmed - tokenized,
        "sections": len(document.sections),
        "sentences": len(document.sentences),
        "language": document.language,
        "rss": rss,
    }


def sumy(path: Path, every: int, check: bool) -> dict[str, Any]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    from bench.baseline import sumy_lexrank
    from bot.text.tokenizer import Tokenizer

    tokenizer = Tokenizer("english")
    summarizer = sumy_lexrank()
    text = path.read_text(encoding="utf-8")
    sections = [part for part in SECTION_BREAK.split(text) if part.strip()]
    sampled = sections[::every]
    seconds = cpu = 0.0
    sentences = 0
    for section in sampled:
        found = [s for s in SENTENCE_BREAK.split(section.strip()) if s]
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in found])])
        sentences += len(found)
        started, cpu_started = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # sumy's NaN on edgeless sections
            summarizer(document, LENGTH)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    result: dict[str, Any] = {
        "summarize": seconds * len(sections) / len(sampled),
        "cpu": cpu * len(sections) / len(sampled),
        "sections": len(sections),
        "sampled": len(sampled),
        "sentences": round(sentences * len(sections) / len(sampled)),
        "rss": peak_rss(),
    }
    if check:
        result["same"], result["checked"] = same_picks(path)
    return result


def same_picks(path: Path) -> tuple[int, int]:
    """Sections where the bot picks what sumy picks, on the bot's own sentences."""
    from bench.baseline import sumy_lexrank, sumy_pick
    from bot.sources.files import load_file
    from bot.summaries.summarizer import Summarizer, SummaryLength
    from bot.text.tokenizer import Tokenizer

    tokenizer = Tokenizer("english")
    document = load_file(path, tokenizer, max_bytes=path.stat().st_size)
    summarizer = Summarizer("lex-rank", tokenizer)
    baseline = sumy_lexrank()
    same = 0
    picks = summarizer.pick_all(document, SummaryLength(LENGTH))
    for section, picked in zip(document.sections, picks, strict=True):
        count = min(LENGTH, len(section.sentences))
        same += picked == sumy_pick(baseline, section, tokenizer, count)
    return same, len(document.sections)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("article", type=Path)
    parser.add_argument("--sumy", action="store_true")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    result = sumy(args.article, args.every, args.check) if args.sumy else ours(args.article)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
