"""Item 5: an article prepared end to end, stage by stage, at 0.1, 1 and 10 MB, against sumy.

Each size is a Markdown article of the reference prose (:func:`bench.corpus.markdown_article`:
a heading every 4,000 characters, about 95 sentences a section), prepared in
fresh processes (``bench/prepare.py``): read (file and decode), parse
(headings and paragraphs), split (sentences, the language detected as with
``LANGUAGE=auto``), index (the search index) and summarize (every section's
overview and summary), as ``prepare`` does them.  The end-to-end time
is their sum, the median of a few runs (its CPU time is shown too: on a
shared machine the wall time also counts other processes, so the growth from
1 to 10 MB is judged on CPU time); the peak RSS is the child's own ``VmHWM``
after preparing.  Tokenizing every sentence and stemming every
distinct word are also timed on their own, cold (the index and the
summaries do both, inside their stages).  The document's chunks (text
between spaces) are found once, in the index stage, and counted there only:
the summaries read their words and word counts from them.

Baseline, in its own fresh process: sumy's LexRank on every section, the
text cut at its headings and into sentences by a simple regular expression;
only sumy's summarizing is timed.  At 10 MB sumy runs on one section in ten
and its time is scaled up to all of them (sections are alike: the same
prose, the same size).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.corpus import write_markdown_article
from bench.startup import ROOT, mb
from bench.table import Row, ms, times

__all__ = ["SIZES", "run"]

GROUP = "5. preparing an article end to end (fresh processes, Markdown, LANGUAGE=auto)"
SIZES = (100_000, 1_000_000, 10_000_000)
STAGES = ("read", "parse", "split", "index", "summarize")
#: Targets: 1 MB at least this many times sumy's time (100x is the aim) ...
MIN_RATIO = 50
#: ... 10 MB at most this many times the 1 MB time, and at most this peak RSS.
MAX_GROWTH = 11
MAX_RSS = 300 * 10**6


def child(argv: list[str]) -> dict[str, Any]:
    """Run ``python -m bench.prepare ARGV`` in a fresh process; its JSON line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bench.prepare", *argv],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.prepare {argv} failed: {done.stderr.decode()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


def _median_run(path: Path, runs: int) -> dict[str, Any]:
    results = sorted((child([str(path)]) for _ in range(runs)), key=lambda r: r["total"])
    median = results[len(results) // 2]
    median["rss"] = max(result["rss"] for result in results)
    return median


def _label(size: int) -> str:
    return f"{size / 1e6:g} MB"


def run(folder: Path, *, runs: int = 5, quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    totals: dict[int, float] = {}
    cpus: dict[int, float] = {}
    rss: dict[int, int] = {}
    for size in SIZES:
        path = write_markdown_article(folder, size)
        large = size >= 10_000_000
        ours = _median_run(path, 1 if quick else (3 if large else runs))
        every = (20 if quick else 10) if large else (5 if quick and size >= 1_000_000 else 1)
        sumy = child(["--sumy", str(path), "--every", str(every)])
        totals[size], cpus[size], rss[size] = ours["total"], ours["cpu"], ours["rss"]
        label = _label(size)
        sampled = f", 1 section in {every}, scaled" if every > 1 else ""
        ratio = sumy["summarize"] / ours["total"]
        target = size == 1_000_000
        rows += [
            Row(
                GROUP,
                f"{label}: {ours['sections']} sections, {ours['sentences']:,} sentences;"
                f" end to end, read to every summary and the index"
                f" (median of {1 if quick else (3 if large else runs)})",
                ms(ours["total"]),
                f"sumy LexRank per section, regex-split ({sumy['sentences']:,} sentences{sampled})",
                ms(sumy["summarize"]),
                times(ratio),
                f">= {MIN_RATIO}x (aim 100x)" if target else "",
                ratio >= MIN_RATIO if target else None,
            ),
            Row(
                GROUP,
                f"{label}: the same in CPU time (this process; sumy's likewise)",
                ms(ours["cpu"]),
                "sumy, CPU time",
                ms(sumy["cpu"]),
                times(sumy["cpu"] / ours["cpu"]),
            ),
            Row(
                GROUP,
                f"{label}: read / parse / split / index / summarize",
                " / ".join(ms(ours[stage]) for stage in STAGES),
            ),
            Row(
                GROUP,
                f"{label}: tokenize / stem, each on its own, cold (inside index and summarize;"
                " one chunk pass, in index)",
                f"{ms(ours['tokenize'])} / {ms(ours['stem'])}",
            ),
            Row(
                GROUP,
                f"{label}: peak RSS, prepared",
                mb(ours["rss"]),
                "sumy's process",
                mb(sumy["rss"]),
                "",
                f"<= {MAX_RSS // 10**6} MB" if large else "",
                ours["rss"] <= MAX_RSS if large else None,
            ),
        ]
    growth = totals[SIZES[2]] / totals[SIZES[1]]
    cpu_growth = cpus[SIZES[2]] / cpus[SIZES[1]]
    rows += [
        Row(GROUP, "10 MB end to end / 1 MB end to end, wall time", f"{growth:.1f}x"),
        Row(
            GROUP,
            "10 MB end to end / 1 MB end to end, CPU time (what it costs, whatever else runs)",
            f"{cpu_growth:.1f}x",
            target=f"<= {MAX_GROWTH}x",
            met=cpu_growth <= MAX_GROWTH,
        ),
    ]
    check = child(["--sumy", str(write_markdown_article(folder, SIZES[0])), "--check"])
    rows.append(
        Row(
            GROUP,
            f"{_label(SIZES[0])}: the bot's picks = sumy's on the bot's sentences (3 a section)",
            f"{check['same']}/{check['checked']} sections",
            target="all",
            met=check["same"] == check["checked"],
        )
    )
    return rows
