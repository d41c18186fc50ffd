"""``summary-bot`` serves Slack and Discord in one process, and SIGTERM stops both cleanly.

The bot runs as a real subprocess, configured by a ``.env`` file in its working
directory, against the fake Slack and the fake Discord on 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

SLACK_BOT = "xoxb-1111-one-process-secret"
SLACK_APP = "xapp-1-one-process-secret"
DISCORD = "MTIzNDU2.oneprocess.secretpart"
SECRETS = (SLACK_BOT, SLACK_APP, DISCORD, "process-secret", "secretpart")


def start_bot(cwd: Path, env_file: str) -> subprocess.Popen[bytes]:
    (cwd / ".env").write_text(env_file, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    environ["PYTHONPATH"] = str(ROOT)
    script = Path(sys.executable).with_name("summary-bot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "adapters"]
    with (cwd / "stdout").open("w") as out, (cwd / "stderr").open("w") as err:
        return subprocess.Popen(
            command, cwd=cwd, env=environ, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )


@pytest.fixture
def fakes() -> Iterator[tuple[FakeSlack, FakeDiscord]]:
    with (
        FakeSlack(bot_token=SLACK_BOT, app_token=SLACK_APP) as slack,
        FakeDiscord(token=DISCORD, heartbeat_interval_ms=500) as discord,
    ):
        yield slack, discord


def test_slack_and_discord_in_one_process_stop_on_sigterm(
    tmp_path: Path, fakes: tuple[FakeSlack, FakeDiscord]
) -> None:
    slack, discord = fakes
    bot = start_bot(
        tmp_path,
        f"SLACK_BOT_TOKEN={SLACK_BOT}\n"
        f"SLACK_APP_TOKEN={SLACK_APP}\n"
        f"SLACK_API_URL={slack.api_url}\n"
        f"DISCORD_TOKEN={DISCORD}\n"
        f"DISCORD_GUILD_ID={discord.guild_id}\n"
        f"DISCORD_API_URL={discord.api_url}\n"
        f"DISCORD_GATEWAY_URL={discord.gateway_url}\n",
    )
    try:
        discord.wait_until_connected(timeout=60)
        slack.wait_connections(1, timeout=60)

        interaction = discord.send_slash_command("summary", {"query": "labor"})
        response = discord.wait_for_interaction_response(interaction, timeout=10)
        assert response.accepted and response.latency < discord.interaction_deadline
        [answer] = discord.messages_for(interaction)
        assert "Labor Tensions" in answer.text and answer.allows_no_mentions

        envelope = slack.send_slash_command("labor")
        assert slack.wait_ack(envelope).late is False
        [posted] = slack.wait_responses(1, timeout=10)
        assert "Labor Tensions" in (posted.text or "")

        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=30) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()

    out, err = (tmp_path / "stdout").read_text(), (tmp_path / "stderr").read_text()
    assert "Discord: invite the bot with https://discord.com/oauth2/authorize?" in out
    assert "Traceback" not in err
    for secret in SECRETS:
        assert secret not in out + err
    assert discord.violations == []
    slack.assert_no_violations()
    discord.wait_for(lambda: discord.gateway_counters.live == 0, what="closed gateway")


@pytest.mark.parametrize(
    ("env_file", "variable"),
    [
        ("DISCORD_TOKEN=not a token\n", "DISCORD_TOKEN"),
        (f"SLACK_BOT_TOKEN={SLACK_BOT}\nDISCORD_TOKEN={DISCORD}\n", "SLACK_APP_TOKEN"),
    ],
)
def test_a_missing_or_malformed_token_stops_start_up_naming_it(
    tmp_path: Path, env_file: str, variable: str
) -> None:
    bot = start_bot(tmp_path, env_file)
    assert bot.wait(timeout=60) == 2
    err = (tmp_path / "stderr").read_text()
    assert err.startswith("summary-bot: configuration error:") and variable in err
    for secret in SECRETS:
        assert secret not in err
