"""`summary-bot check` against the fake platforms: good tokens, a revoked one, no secrets shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from adapters.checking import SLACK_SCOPES
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
        [sys.executable, "-m", "adapters", "check"],
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


def test_missing_slack_scopes_are_named_with_the_fix(tmp_path: Path) -> None:
    with (
        FakeSlack(
            bot_token=SLACK_BOT, app_token=SLACK_APP, scopes="commands,chat:write,channels:read"
        ) as slack,
        FakeDiscord(token=DISCORD) as discord,
    ):
        result = check(tmp_path, **_env(slack, discord))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok   SLACK_BOT_TOKEN: valid") for line in lines)
    [scopes] = [line for line in lines if line.startswith("FAIL SLACK_BOT_TOKEN scopes")]
    assert "missing app_mentions:read, im:history, users:read:" in scopes
    assert "OAuth & Permissions" in scopes and "reinstall the app" in scopes
    _no_secrets(result.stdout + result.stderr)


def test_all_scopes_pass(tmp_path: Path) -> None:
    with FakeSlack(bot_token=SLACK_BOT, app_token=SLACK_APP) as slack:
        result = check(
            tmp_path,
            SLACK_BOT_TOKEN=SLACK_BOT,
            SLACK_APP_TOKEN=SLACK_APP,
            SLACK_API_URL=slack.api_url,
            PYTHONPATH=str(ROOT),
        )
    assert result.returncode == 0, result.stdout
    assert (
        "ok   SLACK_BOT_TOKEN scopes: app_mentions:read, chat:write, commands, im:history, "
        "users:read"
    ) in result.stdout.splitlines()


def test_the_needed_scopes_are_the_manifests() -> None:
    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(SLACK_SCOPES)


def test_the_discord_server_is_checked(tmp_path: Path) -> None:
    with FakeDiscord(token=DISCORD) as discord:
        env = {"DISCORD_TOKEN": DISCORD, "DISCORD_API_URL": discord.api_url}
        inside = check(tmp_path, DISCORD_GUILD_ID=str(discord.guild_id), **env)
        elsewhere = check(tmp_path, DISCORD_GUILD_ID="123456789012345678", **env)
    assert inside.returncode == 0, inside.stdout
    assert any(
        line.startswith("ok   DISCORD_GUILD_ID: the bot is in ")
        for line in inside.stdout.splitlines()
    )
    assert elsewhere.returncode == 1
    [line] = [line for line in elsewhere.stdout.splitlines() if "DISCORD_GUILD_ID" in line]
    assert line.startswith(
        "FAIL DISCORD_GUILD_ID: the bot is not in server 123456789012345678: invite it with "
        f"https://discord.com/oauth2/authorize?client_id={discord.bot_id}"
    )
    assert line.endswith("(or fix the ID)")
    _no_secrets(inside.stdout + elsewhere.stdout + elsewhere.stderr)
