"""Item 3: cold start to ready, and peak RSS, in fresh processes.

Each figure is a new Python process: the wall time from spawning it to its
``READY`` line (or to its exit, for ``summary-bot`` itself), and the peak
resident set size it reports (see bench/ready.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.table import Row, ms, times

__all__ = ["run"]

GROUP = "3. cold start and memory (fresh processes)"
ROOT = Path(__file__).resolve().parent.parent
#: ``summary-bot </dev/null`` on the bundled article: start, summarize, exit, within this.
CLI_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Child:
    seconds: float  # spawn to READY (or to exit)
    peak_rss: int  # bytes (0 when the child does not report it)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("ARTICLE", None)
    return env


def spawn(argv: list[str], *, until_ready: bool) -> Child:
    """Run ``argv`` with no input; time it to READY (or exit) and read its peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,  # no .env there
            env=_clean_env(),
        )
        assert process.stdout is not None and process.stderr is not None
        ready = None
        peak = 0
        for line in process.stdout:
            if until_ready and line.strip() == b"READY":
                ready = time.perf_counter() - started
            if line.startswith(b"RSS "):
                peak = int(line.split()[1])
        errors = process.stderr.read()
        process.wait()
        ended = time.perf_counter() - started
    if process.returncode != 0 or (until_ready and ready is None):
        raise RuntimeError(f"{argv} failed ({process.returncode}): {errors.decode()[-2000:]}")
    return Child(ready if ready is not None else ended, peak)


def _best(argv: list[str], *, until_ready: bool, runs: int) -> Child:
    children = [spawn(argv, until_ready=until_ready) for _ in range(runs)]
    return Child(
        sorted(c.seconds for c in children)[len(children) // 2],
        max(c.peak_rss for c in children),
    )


def mb(size: int) -> str:
    return f"{size / 1e6:.0f} MB"


def run(large_article: Path, *, runs: int = 3) -> list[Row]:
    python = sys.executable
    bot = str(Path(python).with_name("summary-bot"))
    bundled = str(ROOT / "bot" / "data" / "netflix-generative-ai-leap.txt")
    cli = _best([bot], until_ready=False, runs=runs)
    cli_large = _best([bot, "--article", str(large_article)], until_ready=False, runs=runs)
    ours = _best([python, "-m", "bench.ready", bundled], until_ready=True, runs=runs)
    ours_large = _best([python, "-m", "bench.ready", str(large_article)], until_ready=True, runs=1)
    sumy = _best([python, "-m", "bench.ready", "--sumy", bundled], until_ready=True, runs=runs)
    sumy_large = _best(
        [python, "-m", "bench.ready", "--sumy", str(large_article)], until_ready=True, runs=1
    )
    return [
        Row(
            GROUP,
            f"`summary-bot </dev/null`: start, summarize the bundled article, exit"
            f" (median of {runs})",
            ms(cli.seconds),
            "",
            "",
            "",
            f"<= {CLI_SECONDS} s",
            cli.seconds <= CLI_SECONDS,
        ),
        Row(
            GROUP,
            "`summary-bot --article` 1 MB document: start, `/summary` of 200 sections, exit",
            ms(cli_large.seconds),
        ),
        Row(
            GROUP,
            "cold start to ready, bundled article (imports, load, every summary, index)",
            ms(ours.seconds),
            "python + sumy: imports, parse, LexRank every section",
            ms(sumy.seconds),
            times(sumy.seconds / ours.seconds),
            "<= 1.5 s",
            ours.seconds <= 1.5,
        ),
        Row(
            GROUP,
            "cold start to ready, 1 MB document",
            ms(ours_large.seconds),
            "python + sumy, same",
            ms(sumy_large.seconds),
            times(sumy_large.seconds / ours_large.seconds),
        ),
        Row(
            GROUP,
            "peak RSS with the 1 MB document loaded and warm",
            mb(ours_large.peak_rss),
            "python + sumy, same",
            mb(sumy_large.peak_rss),
            f"{ours_large.peak_rss / sumy_large.peak_rss:.2f}x",
            "<= 150 MB",
            ours_large.peak_rss <= 150 * 10**6,
        ),
        Row(
            GROUP,
            "peak RSS, bundled article",
            mb(ours.peak_rss),
            "python + sumy, same",
            mb(sumy.peak_rss),
        ),
    ]
