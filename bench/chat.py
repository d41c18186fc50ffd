"""Item 4 (placeholder until written): end-to-end latency through the chat fakes."""

from __future__ import annotations

from bench.table import Row


def run(*, commands: int, concurrent: int) -> list[Row]:
    return []
