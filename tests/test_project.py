"""The project's promises: imports go one way, settings are documented, CI runs the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from adapters.settings.reading import markdown_table
from adapters.settings.table import ROWS
from tests.conftest import ROOT

FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "discord", "dotenv", "aiohttp", "adapters")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_platform_code() -> None:
    offenders = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        bad = _imports(path) & set(FORBIDDEN_IN_CORE)
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_the_architecture_check_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import slack_sdk\nfrom discord import Client\n")
    assert _imports(sample) >= {"slack_sdk", "discord"}


def _settings_read() -> set[str]:
    return {row.key for row in ROWS}


def _env_example() -> list[tuple[str, str]]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE)


def _env_example_keys() -> set[str]:
    return {key for key, _ in _env_example()}


def _readme_table_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.MULTILINE))


def test_env_example_lists_every_setting() -> None:
    assert _settings_read()
    assert _env_example_keys() == _settings_read()


def test_readme_documents_every_setting() -> None:
    assert _readme_table_keys() == _settings_read()


def test_env_example_gives_every_setting_its_default_in_the_tables_order() -> None:
    assert _env_example() == [(row.key, row.default) for row in ROWS]


def test_readme_table_is_the_one_the_settings_print() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = markdown_table()
    assert table.count("\n") == len(ROWS) + 2
    assert f"\n{table}\n" in readme


def test_every_default_reads_as_a_value_and_is_the_groups_default() -> None:
    from adapters.settings import Settings

    environ = {row.key: row.default for row in ROWS}
    assert Settings.from_environ(environ) == Settings() == Settings.from_environ({})


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(python3 -m venv [^\n]+)\n```", text)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    run, test = commands
    assert "summary-bot" in run
    assert "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_documents_every_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("/summary sections", "/summary help", "/summary 2", "/summary labor"):
        assert f"`{command}" in text
