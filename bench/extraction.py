"""Item 5: main-content extraction from real web pages, against breadability.

The pages and their snippets are the extraction set of the evaluation data
(``../shared/eval/extraction/`` beside the repository, or ``EXTRACTION_EVAL``):
60 real pages, each with snippets its main text must contain (``with``) and
must not contain (``without``: menus, footers, comments). A page's main text
is what the bot would summarize: the title, the headings and every sentence
of the parsed article. A snippet counts when it is found in that text,
case-folded with spaces collapsed.

Ours: :func:`bot.text.html.html_blocks` (trafilatura). Baseline: the
bot's earlier extractor, breadability (as sumy's ``HtmlParser`` uses it),
with the same title rule, the same grouping into sections and the same
sentence splitting. Time is the extraction alone, per page, both warm (the
libraries imported beforehand); the import itself is timed in fresh
processes.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.table import Row, median, ms, times
from bot.errors import ArticleError
from bot.sources.files import decode
from bot.text.document import Document
from bot.text.parsing import Block, assemble
from bot.text.tokenizer import Tokenizer

__all__ = ["EVAL", "run"]

GROUP = "5. main-content extraction, 60 real web pages"
ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("EXTRACTION_EVAL", ROOT.parent / "shared" / "eval" / "extraction"))

Extractor = Callable[[str], tuple[str | None, list[Block]]]


@dataclass(frozen=True, slots=True)
class Score:
    found: int  # `with` snippets in the text
    wanted: int
    kept_out: int  # `without` snippets not in the text
    unwanted: int
    seconds: list[float]  # extraction time of each page

    @property
    def recall(self) -> float:
        return self.found / self.wanted

    @property
    def kept_out_share(self) -> float:
        return self.kept_out / self.unwanted


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def main_text(document: Document) -> str:
    """The title, the headings and the sentences: what the bot would summarize."""
    parts = [document.title]
    for section in document.sections:
        if not section.untitled:
            parts.append(section.title)
        parts.extend(section.sentences)
    return "\n".join(parts)


def pages() -> list[tuple[str, dict[str, list[str]]]]:
    cases = json.loads((EVAL / "cases.json").read_text(encoding="utf-8"))
    return [
        (decode(gzip.decompress((EVAL / "pages" / name).read_bytes()), name), case)
        for name, case in sorted(cases.items())
    ]


def score(extract: Extractor, cases: list[tuple[str, dict[str, list[str]]]]) -> Score:
    tokenizer = Tokenizer("english")
    found = wanted = kept_out = unwanted = 0
    seconds: list[float] = []
    for html, case in cases:
        started = time.perf_counter()
        title, blocks = extract(html)
        seconds.append(time.perf_counter() - started)
        try:
            text = _folded(main_text(assemble(title, blocks, name="page", tokenizer=tokenizer)))
        except ArticleError:  # nothing extracted
            text = ""
        wanted += len(case["with"])
        found += sum(_folded(snippet) in text for snippet in case["with"])
        unwanted += len(case["without"])
        kept_out += sum(_folded(snippet) not in text for snippet in case["without"])
    return Score(found, wanted, kept_out, unwanted, seconds)


# --- the baseline: breadability, as the bot used it -------------------------------------------

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PUNCTUATION_START = tuple(".,;:!?)]}»”’%")


def breadability_blocks(text: str) -> tuple[str | None, list[Block]]:
    from breadability.readable import Article

    if not text.strip():
        return None, []
    article = Article(text)
    title = _breadability_title(text)
    blocks: list[Block] = []
    for paragraph in article.main_text:
        current = ""
        for fragment, marks in paragraph:
            tags = set(marks or ())
            if tags & _HEADING_TAGS:
                if current.strip():
                    blocks.append(Block("paragraph", current.strip()))
                current = ""
                blocks.append(Block("heading", " ".join(fragment.split())))
            elif "pre" not in tags:
                joiner = "" if fragment.startswith(_PUNCTUATION_START) else " "
                current += joiner + fragment
        if current.strip():
            blocks.append(Block("paragraph", " ".join(current.split())))
    if blocks and blocks[0].kind == "heading" and (title is None or blocks[0].text == title):
        title = blocks.pop(0).text
    return title, blocks


def _breadability_title(text: str) -> str | None:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, SyntaxError):
        return None
    for xpath in ("//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            title = " ".join(found[0].text_content().split())
            if title:
                return str(title)
    return None


# --- the run ----------------------------------------------------------------------------------


def _import_seconds(statement: str, runs: int) -> float:
    """Median wall time of a fresh interpreter that runs ``statement``, less an empty one."""

    def once(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - started

    empty = median([once("pass") for _ in range(runs)])
    return median([once(statement) for _ in range(runs)]) - empty


def run(*, repeats: int = 3, runs: int = 3) -> list[Row]:
    if not (EVAL / "cases.json").exists():
        return [Row(GROUP, f"skipped: no evaluation data at {EVAL} (set EXTRACTION_EVAL)", "")]
    from bot.text.html import html_blocks

    cases = pages()
    warm_up = "<html><body><h1>Warm-up</h1><p>Imports the extractors.</p></body></html>"
    html_blocks(warm_up)  # not one of the pages: the last page extracted is kept
    breadability_blocks(warm_up)
    ours_runs: list[Score] = []
    their_runs: list[Score] = []
    for _ in range(repeats):  # taken in turns, so a busy moment of the machine hits both
        ours_runs.append(score(html_blocks, cases))
        their_runs.append(score(breadability_blocks, cases))
    ours, theirs = _fastest(ours_runs), _fastest(their_runs)
    our_import = _import_seconds("import trafilatura", runs)
    their_import = _import_seconds("import breadability.readable", runs)
    count = len(cases)
    return [
        Row(
            GROUP,
            f"`with` snippets found (main text kept), {ours.wanted} snippets",
            f"{ours.recall:.1%} ({ours.found})",
            "breadability (the earlier extractor)",
            f"{theirs.recall:.1%} ({theirs.found})",
            "",
            ">= breadability",
            ours.recall >= theirs.recall,
        ),
        Row(
            GROUP,
            f"`without` snippets absent (boilerplate dropped), {ours.unwanted} snippets",
            f"{ours.kept_out_share:.1%} ({ours.kept_out})",
            "breadability",
            f"{theirs.kept_out_share:.1%} ({theirs.kept_out})",
            "",
            ">= breadability",
            ours.kept_out_share >= theirs.kept_out_share,
        ),
        Row(
            GROUP,
            f"extraction time per page, warm (mean of {count}, each page's best of {repeats})",
            ms(_total(ours) / count),
            "breadability",
            ms(_total(theirs) / count),
            times(_total(theirs) / _total(ours)),
        ),
        Row(
            GROUP,
            f"slowest page, warm (of {count})",
            ms(max(ours.seconds)),
            "breadability",
            ms(max(theirs.seconds)),
        ),
        Row(
            GROUP,
            f"import on the first HTML page, fresh process (median of {runs})",
            ms(our_import),
            "breadability",
            ms(their_import),
        ),
    ]


def _total(result: Score) -> float:
    return sum(result.seconds)


def _fastest(runs: list[Score]) -> Score:
    """The first run's scores (every run extracts the same), each page's fastest time."""
    fastest = [min(times) for times in zip(*(run.seconds for run in runs), strict=True)]
    first = runs[0]
    return Score(first.found, first.wanted, first.kept_out, first.unwanted, fastest)
