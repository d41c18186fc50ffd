"""The code's shape: small files, and no module only the tests reach."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("bot", "adapters")
MAX_LINES = 300
ENTRY_POINTS = ("adapters.cli", "adapters.__main__", "adapters.settings.__main__")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imported(path: Path, known: dict[str, Path]) -> set[str]:
    """Modules of ours ``path`` imports, by statement or by name in a string (lazy imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    reached = set()
    for name in names & known.keys():
        parts = name.split(".")
        # Importing a.b.c runs a and a.b first.
        reached.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return reached & known.keys()


def test_no_file_in_the_core_or_the_adapters_is_over_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_module_is_reached_from_the_entry_points() -> None:
    known = _modules()
    seen: set[str] = set()
    todo = list(ENTRY_POINTS)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_imported(known[name], known) - seen)
    assert sorted(known.keys() - seen) == []


def test_the_reach_check_can_fail(tmp_path: Path) -> None:
    lone = tmp_path / "lone.py"
    lone.write_text("import os\n", encoding="utf-8")
    assert _imported(lone, {"bot.x": lone}) == set()
