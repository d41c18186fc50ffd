"""Run the benchmarks and print one table: ``.venv/bin/python -m bench [PART ...]``.

Each figure is printed beside a baseline measured in the same run, and the
targets from the performance issue are checked.  With no part named, every
part runs; ``python -m bench extraction`` runs only the extraction part,
``python -m bench answers`` scores answers per article (bench/answers.py), and
``python -m bench overview`` scores the overview with ROUGE on an evaluation set
of papers (``--eval``; needs ``pip install -e '.[bench]'``) and times it on the
1 MB document (bench/overview.py).
``--readme`` also rewrites the figures in ``bench/README.md`` (with the
machine and the date): the extraction table when that part ran, the main
table when all the others did; ``--quick`` runs fewer iterations (for a smoke
test, not for the record).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import (
    answers,
    blocking,
    commands,
    extraction,
    overview,
    preparation,
    startup,
    store,
    summaries,
)
from bench.corpus import large_article, sentence_sections, write_large_article
from bench.table import Row, render
from bot.sources.files import load_bundled
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer

__all__ = ["main"]

README = Path(__file__).resolve().parent / "README.md"
#: The README's tables: its markers, and the parts whose rows it shows.
TABLES = (
    ("figures", ("latency", "blocking", "summaries", "startup", "preparation", "chat", "store")),
    ("extraction", ("extraction",)),
    ("overview-figures", ("overview",)),
)
PARTS = (
    "latency",
    "blocking",
    "summaries",
    "startup",
    "preparation",
    "chat",
    "store",
    "extraction",
    "answers",
    "overview",
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    model = _cpu_model()
    return (
        f"{model or cpu}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return ""
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else ""


def _chat_rows(quick: bool) -> list[Row]:
    from bench import chat  # imports the test fakes

    return chat.run(commands=60 if quick else 200, concurrent=50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "parts", nargs="*", metavar="PART", help=f"parts to run (default: all): {', '.join(PARTS)}"
    )
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke test)")
    parser.add_argument("--readme", action="store_true", help="rewrite bench/README.md figures")
    parser.add_argument(
        "--eval", type=Path, default=overview.EVAL_DIR, help="papers for the overview's ROUGE"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
    wanted = set(args.parts or PARTS)

    rows: list[Row] = []
    by_part: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory() as folder:
        steps = _steps(args.quick, Path(folder), args.eval)
        for name, label, step in steps:
            if name not in wanted:
                continue
            print(f"... {label}", file=sys.stderr, flush=True)
            by_part[name] = step()
            rows.extend(by_part[name])
    print(f"machine: {machine()}")
    print(render(rows))
    if args.readme:
        for marker, parts in TABLES:
            if all(part in by_part for part in parts):
                _write_readme(marker, [row for part in parts for row in by_part[part]], args.parts)
    return 0 if all(row.met is not False for row in rows) else 1


def _steps(
    quick: bool, folder: Path, papers: Path
) -> list[tuple[str, str, Callable[[], list[Row]]]]:
    """Each part: its name, its label and how to run it (the shared inputs made once, on use)."""
    made: dict[str, Any] = {}

    def bundled() -> Document:
        if "bundled" not in made:
            made["bundled"] = load_bundled(Tokenizer("english"))
        return made["bundled"]  # type: ignore[no-any-return]

    def large() -> summaries.SummaryRun:
        if "large" not in made:
            made["large"] = summaries.run(
                large_article(),
                repeats=1 if quick else 3,
                sentence_document=None if quick else sentence_sections(),
            )
        return made["large"]  # type: ignore[no-any-return]

    def large_path() -> Path:
        if "path" not in made:
            made["path"] = write_large_article(folder)
        return made["path"]  # type: ignore[no-any-return]

    return [
        (
            "latency",
            "core latency",
            lambda: commands.run(
                bundled(),
                large().document,
                large().sumy_seconds,
                iterations=100 if quick else 1000,
            ),
        ),
        ("blocking", "off the event loop", lambda: blocking.run(bundled(), large().document)),
        ("summaries", "1 MB document", lambda: large().rows),
        ("startup", "cold start", lambda: startup.run(large_path(), runs=1 if quick else 3)),
        (
            "preparation",
            "preparation, stage by stage",
            lambda: preparation.run(folder, runs=1 if quick else 5, quick=quick),
        ),
        ("chat", "chat fakes", lambda: _chat_rows(quick)),
        ("store", "state store", lambda: store.run(commands=300 if quick else 2000)),
        (
            "extraction",
            "main-content extraction",
            lambda: extraction.run(repeats=1 if quick else 3, runs=1 if quick else 3),
        ),
        ("answers", "answers (qa-dev, when ../shared/eval is there)", answers.run),
        (
            "overview",
            "overview (ROUGE, when the papers and rouge-score are there; cost)",
            lambda: _overview_rows(papers, large().document, quick),
        ),
    ]


def _overview_rows(papers: Path, document: Document, quick: bool) -> list[Row]:
    rows: list[Row] = []
    if papers.is_dir() and importlib.util.find_spec("rouge_score") is not None:
        rows += overview.quality_rows(papers)
    else:
        print("    (no ROUGE: needs the papers and pip install -e '.[bench]')", file=sys.stderr)
    return rows + overview.speed_rows(document, repeats=1 if quick else 5)


def _write_readme(marker: str, rows: list[Row], parts: list[str]) -> None:
    begin, end_marker = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    today = datetime.date.today().isoformat()
    command = " ".join([".venv/bin/python -m bench", *parts, "--readme"])
    block = (
        f"{begin}\nMeasured {today} on {machine()}, by `{command}`.\n\n"
        f"{render(rows, markdown=True)}\n{end_marker}"
    )
    text = README.read_text(encoding="utf-8")
    start, end = text.index(begin), text.index(end_marker) + len(end_marker)
    README.write_text(text[:start] + block + text[end:], encoding="utf-8")
