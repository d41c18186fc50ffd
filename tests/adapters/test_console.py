"""The summary-bot command in the console, run as a newcomer would run it."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import run_console
from bot.articles.library import Library
from bot.chat.channel_articles import ChannelArticles
from bot.chat.notices import APOLOGY
from bot.text.document import Document
from tests.conftest import ROOT
from tests.libraries import single

SECTION_3 = "Labor Tensions and the Ethics of Innovation"


def run(
    *args: str, stdin: str | None = "", cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environ.pop("ARTICLE", None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "adapters", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd or ROOT,
        timeout=120,
    )


def test_no_input_prints_the_whole_article_summary(tmp_path: Path) -> None:
    result = run(stdin=None, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Netflix’s Generative AI Leap")
    for heading in ("1. Introduction", f"3. {SECTION_3}", "5. Shaping Global Standards"):
        assert heading in result.stdout
    assert result.stderr == ""


def test_piped_section(tmp_path: Path) -> None:
    result = run(stdin="/summary labor\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"3. {SECTION_3}" in result.stdout
    assert "Sarandos" in result.stdout
    assert "1. Introduction" not in result.stdout


def test_piped_question_cites_section_3(tmp_path: Path) -> None:
    result = run(stdin="what did Sarandos say\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Netflix Co-CEO Ted *Sarandos’s* assertion" in result.stdout
    assert f"(Section 3: {SECTION_3})" in result.stdout


def test_each_piped_line_is_answered(tmp_path: Path) -> None:
    result = run(stdin="2\n\nsections\nhelp\n", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.count("Netflix’s Generative AI Leap") == 2
    assert "2. The Creative Renaissance" in result.stdout
    assert "How to use /summary" in result.stdout


def test_another_article(tmp_path: Path) -> None:
    article = tmp_path / "eternauta.md"
    article.write_text("# El Eternauta\n\nIntro text. More.\n\n## Snow\n\nA deadly snow falls.\n")
    result = run(stdin="2\n", cwd=tmp_path, ARTICLE=str(article))
    assert result.returncode == 0, result.stderr
    assert "El Eternauta" in result.stdout
    assert "2. Snow" in result.stdout


@pytest.mark.parametrize(
    ("content", "problem"), [(b"", "the file is empty"), (b"\x00\x01\x02" * 50, "binary")]
)
def test_bad_article_is_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    result = run(cwd=tmp_path, ARTICLE=str(article))
    assert result.returncode == 2
    assert result.stderr.strip() == f"summary-bot: {article}: {problem}" or problem in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run(cwd=tmp_path, SUMMARY_ALGORITHM="magic")
    assert result.returncode == 2
    assert "SUMMARY_ALGORITHM" in result.stderr
    assert "Traceback" not in result.stderr


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SUMMARY_LENGTH=1\n")
    result = run(stdin="labor\n", cwd=tmp_path)
    assert "1 of the section's 7 sentences." in result.stdout


def test_console_script_is_installed() -> None:
    script = shutil.which("summary-bot", path=str(Path(sys.executable).parent))
    assert script is not None
    result = subprocess.run(
        [script, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "summary-bot" in result.stdout


def test_a_failure_inside_the_bot_is_apologised_for_and_the_console_goes_on(
    bundled: Document, caplog: pytest.LogCaptureFixture
) -> None:
    prepared = single(bundled).article_for()
    broken = dataclasses.replace(prepared, summaries=())  # a bug: the summaries went missing
    library = ChannelArticles(Library([broken]))
    out = io.StringIO()
    assert run_console(library, io.StringIO("2\nsections\n"), out) == 0
    shown = out.getvalue()
    assert shown.startswith(f"Sorry\n\n{APOLOGY}\n\n")
    assert "Traceback" not in shown
    assert f"3. {SECTION_3}" in shown  # the next line is answered
    assert "IndexError" in caplog.text  # the traceback goes to the log
