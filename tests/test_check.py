"""`summary-bot check` against the fake platforms: good tokens, a revoked one, no secrets shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

SLACK_BOT = "xoxb-1111-check-secret"
SLACK_APP = "xapp-1-check-secret"
DISCORD = "MTIzNDU2.check.secretpart"


def check(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _env(slack: FakeSlack, discord: FakeDiscord) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": SLACK_BOT,
        "SLACK_APP_TOKEN": SLACK_APP,
        "SLACK_API_URL": slack.api_url,
        "DISCORD_TOKEN": DISCORD,
        "DISCORD_API_URL": discord.api_url,
        "PYTHONPATH": str(ROOT),
    }


def _no_secrets(text: str) -> None:
    for secret in (SLACK_BOT, SLACK_APP, DISCORD, "check-secret", "secretpart"):
        assert secret not in text


def test_good_tokens(tmp_path: Path) -> None:
    with (
        FakeSlack(bot_token=SLACK_BOT, app_token=SLACK_APP) as slack,
        FakeDiscord(token=DISCORD) as discord,
    ):
        result = check(tmp_path, **_env(slack, discord))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok   ARTICLE: netflix-generative-ai-leap.txt: 5 sections")
    assert any(line.startswith("ok   SLACK_BOT_TOKEN: valid") for line in lines)
    assert any(line.startswith("ok   SLACK_APP_TOKEN: valid") for line in lines)
    assert any(line.startswith("ok   DISCORD_TOKEN: valid for bot user") for line in lines)
    _no_secrets(result.stdout + result.stderr)


def test_revoked_tokens_are_named(tmp_path: Path) -> None:
    with (
        FakeSlack(bot_token=SLACK_BOT, app_token=SLACK_APP) as slack,
        FakeDiscord(token=DISCORD) as discord,
    ):
        slack.revoke(SLACK_BOT)
        discord.revoke_token()
        result = check(tmp_path, **_env(slack, discord))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "FAIL SLACK_BOT_TOKEN: revoked (token_revoked): reinstall the app to get a new one" in (
        lines
    )
    assert any(line.startswith("ok   SLACK_APP_TOKEN") for line in lines)
    assert any(line.startswith("FAIL DISCORD_TOKEN: rejected (401)") for line in lines)
    _no_secrets(result.stdout + result.stderr)


def test_unreachable_platform(tmp_path: Path) -> None:
    with FakeSlack() as slack:
        url = slack.api_url  # the fake stops: nothing listens there any more
    result = check(
        tmp_path, SLACK_BOT_TOKEN=SLACK_BOT, SLACK_APP_TOKEN=SLACK_APP, SLACK_API_URL=url
    )
    assert result.returncode == 1
    assert "FAIL SLACK_API_URL: cannot reach Slack" in result.stdout
    _no_secrets(result.stdout + result.stderr)


def test_malformed_token_is_named_without_its_value(tmp_path: Path) -> None:
    result = check(tmp_path, SLACK_BOT_TOKEN="xoxp-wrong kind", SLACK_APP_TOKEN=SLACK_APP)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is malformed" in result.stderr
    assert "wrong kind" not in result.stderr


def test_no_tokens(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.returncode == 0
    assert "no tokens set: the console will run" in result.stdout
