"""Rows of the benchmark table, and how they are printed."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Row", "percentile", "render"]


@dataclass(frozen=True, slots=True)
class Row:
    """One measured figure, the baseline measured beside it, and the target it is judged by."""

    group: str
    measure: str
    result: str
    baseline: str = ""
    baseline_result: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0.5 is the median, 0.99 the p99), nearest-rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def p50_p99(samples: Sequence[float]) -> str:
    return f"{ms(percentile(samples, 0.5))} / {ms(percentile(samples, 0.99))}"


def times(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


_HEADERS = ("measure", "result", "baseline", "baseline result", "ratio", "target", "met")


def render(rows: Sequence[Row], *, markdown: bool = False) -> str:
    """The table: plain columns for a terminal, or a Markdown table."""
    lines: list[str] = []
    cells = [
        (
            row.measure,
            row.result,
            row.baseline,
            row.baseline_result,
            row.ratio,
            row.target,
            "" if row.met is None else ("yes" if row.met else "NO"),
        )
        for row in rows
    ]
    if markdown:
        lines.append("| " + " | ".join(_HEADERS) + " |")
        lines.append("|" + "---|" * len(_HEADERS))
        group = None
        for row, cell in zip(rows, cells, strict=True):
            if row.group != group:
                group = row.group
                lines.append(f"| **{group}** |" + " |" * (len(_HEADERS) - 1))
            lines.append("| " + " | ".join(cell) + " |")
        return "\n".join(lines)
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(_HEADERS)]
    lines.append("  ".join(h.ljust(w) for h, w in zip(_HEADERS, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    group = None
    for row, cell in zip(rows, cells, strict=True):
        if row.group != group:
            group = row.group
            lines.append(f"[{group}]")
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    return "\n".join(lines)
