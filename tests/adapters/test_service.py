"""summary-bot run as a service: JSON logs, the health server and an HTTPS proxy together.

The bot runs as a real subprocess, configured by a ``.env`` file, against the
fake Discord served over TLS (``localhost``, the test CA in ``tests/tls``),
reached only through ``HTTPS_PROXY``: a CONNECT tunnel for REST and one for
the gateway.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.adapters.test_health import free_port
from tests.conftest import ROOT
from tests.fakes.discord_fake import FakeDiscord
from tests.forward_proxy import ForwardProxy

TOKEN = "MTIzNDU2.service.secretpart"
PASSWORD = "s3rvice-proxy-pw"
TEST_CA = ROOT / "tests" / "tls" / "ca.pem"
LOCALHOST_CERT = ROOT / "tests" / "tls" / "localhost.pem"


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(LOCALHOST_CERT)
    return context


def start_bot(cwd: Path, env_file: str) -> subprocess.Popen[bytes]:
    (cwd / ".env").write_text(env_file, encoding="utf-8")
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_")) and "proxy" not in k.lower()
    }
    environ.update(PYTHONPATH=str(ROOT), SSL_CERT_FILE=str(TEST_CA))
    with (cwd / "stdout").open("w") as out, (cwd / "stderr").open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "adapters"],
            cwd=cwd,
            env=environ,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )


def readyz(port: int) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except OSError:
        return 0, None


def wait_ready(port: int, bot: subprocess.Popen[bytes]) -> Any:
    for _ in range(1200):
        status, body = readyz(port)
        if status == 200:
            return body
        assert bot.poll() is None, "the bot stopped"
        time.sleep(0.05)
    raise AssertionError(f"never ready: {status} {body}")


def test_json_logs_health_and_discord_over_tls_through_an_https_proxy(tmp_path: Path) -> None:
    port = free_port()
    with (
        FakeDiscord(token=TOKEN, heartbeat_interval_ms=500, tls=tls_context()) as discord,
        ForwardProxy(user="bot", password=PASSWORD) as proxy,
    ):
        assert discord.api_url.startswith("https://localhost:")
        bot = start_bot(
            tmp_path,
            f"DISCORD_TOKEN={TOKEN}\n"
            f"DISCORD_GUILD_ID={discord.guild_id}\n"
            f"DISCORD_API_URL={discord.api_url}\n"
            f"DISCORD_GATEWAY_URL={discord.gateway_url}\n"
            f"HTTPS_PROXY={proxy.url}\n"
            "LOG_FORMAT=json\n"
            f"HEALTH_PORT={port}\n"
            f"STATE_DB={tmp_path / 'state.sqlite3'}\n",
        )
        try:
            ready = wait_ready(port, bot)
            assert ready["checks"] == {"article": True, "state_store": True, "discord": True}
            interaction = discord.send_slash_command("summary", {"query": "2"})
            assert discord.wait_for_interaction_response(interaction, timeout=10).accepted
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=30) == 0
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
        passed = proxy.passed
        assert discord.violations == []

    err = (tmp_path / "stderr").read_text()
    out = (tmp_path / "stdout").read_text()
    lines = [json.loads(line) for line in err.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    [answered] = [line for line in lines if line["logger"] == "adapters.command_log"]
    assert answered["platform"] == "discord"
    assert answered["channel"] == str(discord.channel_id)
    assert answered["command"] == "section"
    assert isinstance(answered["latency_ms"], float)
    # Every connection went through the proxy, as a CONNECT tunnel to the TLS server.
    assert len(passed) >= 2
    assert {(p.method, p.target, p.allowed) for p in passed} == {
        ("CONNECT", f"localhost:{discord.port}", True)
    }
    for secret in (TOKEN, PASSWORD, "secretpart"):
        assert secret not in out + err
