"""Run every benchmark and print one table: ``.venv/bin/python -m bench``.

Each figure is printed beside a baseline measured in the same run, and the
targets from the performance issue are checked.  ``--readme`` also rewrites
the figures in ``bench/README.md`` (with the machine and the date);
``--quick`` runs fewer iterations (for a smoke test, not for the record).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import blocking, commands, preparation, startup, summaries
from bench.corpus import large_article, sentence_sections, write_large_article
from bench.table import Row, render
from bot.loading import load_bundled
from bot.tokenizing import Tokenizer

__all__ = ["main"]

README = Path(__file__).resolve().parent / "README.md"
_BEGIN, _END = "<!-- figures -->", "<!-- /figures -->"


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
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke test)")
    parser.add_argument("--readme", action="store_true", help="rewrite bench/README.md figures")
    args = parser.parse_args(argv)

    text = large_article()
    bundled = load_bundled(Tokenizer("english"))
    rows: list[Row] = []
    steps: list[tuple[str, Callable[[], list[Row]]]] = []
    run2 = summaries.run(
        text,
        repeats=1 if args.quick else 3,
        sentence_document=None if args.quick else sentence_sections(),
    )
    large = run2.document
    with tempfile.TemporaryDirectory() as folder:
        path = write_large_article(Path(folder))
        steps = [
            (
                "core latency",
                lambda: commands.run(
                    bundled, large, run2.sumy_seconds, iterations=100 if args.quick else 1000
                ),
            ),
            ("off the event loop", lambda: blocking.run(bundled, large)),
            ("1 MB document", lambda: run2.rows),
            ("cold start", lambda: startup.run(path, runs=1 if args.quick else 3)),
            (
                "preparation",
                lambda: preparation.run(
                    Path(folder), runs=1 if args.quick else 5, quick=args.quick
                ),
            ),
            ("chat fakes", lambda: _chat_rows(args.quick)),
        ]
        for name, step in steps:
            print(f"... {name}", file=sys.stderr, flush=True)
            rows.extend(step())
    print(f"machine: {machine()}")
    print(render(rows))
    if args.readme:
        _write_readme(rows)
    return 0 if all(row.met is not False for row in rows) else 1


def _write_readme(rows: list[Row]) -> None:
    today = datetime.date.today().isoformat()
    block = (
        f"{_BEGIN}\nMeasured {today} on {machine()}, by `.venv/bin/python -m bench --readme`.\n\n"
        f"{render(rows, markdown=True)}\n{_END}"
    )
    text = README.read_text(encoding="utf-8")
    start, end = text.index(_BEGIN), text.index(_END) + len(_END)
    README.write_text(text[:start] + block + text[end:], encoding="utf-8")
