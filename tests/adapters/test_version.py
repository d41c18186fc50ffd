"""``summary-bot --version`` prints the version the package was built with."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from tests.conftest import ROOT


def test_version_is_the_packages() -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    result = subprocess.run(
        [sys.executable, "-m", "adapters", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"summary-bot {expected['version']}\n"


def test_the_changelog_and_the_compose_image_name_this_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert "## [Unreleased]" in changelog
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert compose["services"]["bot"]["image"] == f"summary-bot:{version}"
