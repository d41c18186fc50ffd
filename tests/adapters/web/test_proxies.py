"""Forward proxies: which URL goes through which proxy, and every platform client through one.

The bot's clients (slack_sdk's Web API client, Socket Mode and ``response_url``
posts; discord.py's REST and gateway; the interaction callbacks) run against
the fake platforms with ``HTTP_PROXY`` pointing at a proxy of our own on
127.0.0.1 that records every request it carries.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from adapters.log_setup import secrets_of
from adapters.proxies import Proxies
from adapters.settings import Settings
from bot.chat.channel_articles import ChannelArticles
from bot.errors import ConfigError
from tests.adapters.test_check import check
from tests.adapters.test_health import free_port, serving, until_ready
from tests.conftest import ROOT
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack
from tests.forward_proxy import ForwardProxy

BOT_TOKEN = "xoxb-1-proxy-secret"
APP_TOKEN = "xapp-1-proxy-secret"
DISCORD_TOKEN = "MTIzNDU2.proxy.secretpart"
PASSWORD = "pr0xy-pa55"


# ---------------------------------------------------------------- which proxy for which URL


def test_the_scheme_picks_the_proxy() -> None:
    proxies = Proxies(https="http://secure:3128", http="http://plain:3128")
    assert proxies.for_url("https://slack.com/api/") == "http://secure:3128"
    assert proxies.for_url("wss://gateway.discord.gg/") == "http://secure:3128"
    assert proxies.for_url("http://127.0.0.1:8000/api") == "http://plain:3128"
    assert proxies.for_url("ws://127.0.0.1:8000/gateway") == "http://plain:3128"
    assert Proxies(https="http://secure:3128").for_url("http://example.com/") is None
    assert Proxies().for_url("https://slack.com/api/") is None


@pytest.mark.parametrize(
    ("no_proxy", "url", "bypassed"),
    [
        ("*", "https://slack.com/api/", True),
        ("slack.com", "https://slack.com/api/", True),
        ("slack.com", "https://wss-primary.slack.com/link", True),
        (".slack.com", "https://slack.com/api/", True),
        ("*.slack.com", "https://files.slack.com/x", True),
        ("slack.com", "https://notslack.com/", False),
        ("discord.com", "https://slack.com/api/", False),
        ("127.0.0.1", "http://127.0.0.1:8000/", True),
        ("10.0.0.0/8", "http://10.1.2.3/", True),
        ("10.0.0.0/8", "http://11.1.2.3/", False),
        ("::1", "http://[::1]:8000/", True),
        ("[::1]:8000", "http://[::1]:8000/", True),
        ("localhost:8000", "http://localhost:8000/", True),
        ("localhost:8000", "http://localhost:9000/", False),
        ("slack.com:443", "https://slack.com/api/", True),
        ("SLACK.COM", "https://Slack.com./api/", True),
    ],
)
def test_no_proxy(no_proxy: str, url: str, bypassed: bool) -> None:
    settings = Settings.from_environ(
        {"HTTPS_PROXY": "http://proxy:3128", "HTTP_PROXY": "proxy:3128", "NO_PROXY": no_proxy}
    )
    assert (settings.service.proxies.for_url(url) is None) is bypassed


def test_settings_read_either_case_and_name_a_bad_proxy() -> None:
    lower = Settings.from_environ({"https_proxy": "proxy:3128", "no_proxy": "a.example, b"})
    assert lower.service.proxies == Proxies(https="http://proxy:3128", no_proxy=("a.example", "b"))
    upper = Settings.from_environ({"HTTPS_PROXY": "http://up:1", "https_proxy": "http://low:1"})
    assert upper.service.proxies.https == "http://up:1"
    with pytest.raises(ConfigError, match="HTTPS_PROXY: must be a proxy URL"):
        Settings.from_environ({"HTTPS_PROXY": "socks5://proxy:1080"})
    with pytest.raises(ConfigError, match="HTTP_PROXY: has a port that is not a number"):
        Settings.from_environ({"HTTP_PROXY": "http://proxy:port"})


def test_a_proxy_password_is_a_secret() -> None:
    settings = Settings.from_environ({"HTTPS_PROXY": f"http://bot:{PASSWORD}@proxy:3128"})
    assert PASSWORD in secrets_of(settings)
    assert PASSWORD not in repr(settings)
    assert "http://bot:***@proxy:3128" in repr(settings)


# ---------------------------------------------------------------- the clients, through a proxy


def expected_auth() -> str:
    return "Basic " + base64.b64encode(f"bot:{PASSWORD}".encode()).decode()


async def test_slack_web_api_socket_mode_and_response_urls_go_through_the_proxy(
    library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    with (
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack,
        ForwardProxy(user="bot", password=PASSWORD) as proxy,
    ):
        settings = Settings.from_environ(
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_APP_TOKEN": APP_TOKEN,
                "SLACK_API_URL": slack.api_url,
                "HTTP_PROXY": proxy.url,
                "HTTPS_PROXY": "http://127.0.0.1:9",  # would fail: nothing here is https
                "STATE_DB": str(tmp_path / "state.sqlite3"),
                "HEALTH_PORT": str(port),
            }
        )
        async with serving(settings, library):
            await until_ready(port)
            await slack.asend_slash_command("articles")  # answered through its response_url
            [posted] = await slack.await_responses(1, timeout=10)
            assert "eternauta" in (posted.text or "") or "netflix" in (posted.text or "").lower()
        base = slack.api_url.rstrip("/")
        targets = proxy.targets()
        assert targets[:2] == [f"POST {base}/auth.test", f"POST {base}/apps.connections.open"]
        socket_url = slack.base_url.replace("http://", "ws://")
        assert any(t.startswith(f"GET {socket_url}/socket/") for t in targets)
        assert any(t.startswith(f"POST {slack.base_url}/respond/") for t in targets)
        assert all(p.authorization == expected_auth() and p.allowed for p in proxy.passed)
        slack.assert_no_violations()


async def test_no_proxy_keeps_slack_direct(library: ChannelArticles, tmp_path: Path) -> None:
    port = free_port()
    with (
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack,
        ForwardProxy() as proxy,
    ):
        settings = Settings.from_environ(
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_APP_TOKEN": APP_TOKEN,
                "SLACK_API_URL": slack.api_url,
                "HTTP_PROXY": proxy.url,
                "NO_PROXY": "localhost,127.0.0.1",
                "STATE_DB": str(tmp_path / "state.sqlite3"),
                "HEALTH_PORT": str(port),
            }
        )
        async with serving(settings, library):
            await until_ready(port)
            await slack.asend_slash_command("articles")
            await slack.await_responses(1, timeout=10)
        assert proxy.passed == []


async def test_discord_rest_gateway_and_callbacks_go_through_the_proxy(
    library: ChannelArticles, tmp_path: Path
) -> None:
    port = free_port()
    with (
        FakeDiscord(token=DISCORD_TOKEN, heartbeat_interval_ms=500) as discord,
        ForwardProxy(user="bot", password=PASSWORD) as proxy,
    ):
        settings = Settings.from_environ(
            {
                "DISCORD_TOKEN": DISCORD_TOKEN,
                "DISCORD_GUILD_ID": str(discord.guild_id),
                "DISCORD_API_URL": discord.api_url,
                "DISCORD_GATEWAY_URL": discord.gateway_url,
                "HTTP_PROXY": proxy.url,
                "STATE_DB": str(tmp_path / "state.sqlite3"),
                "HEALTH_PORT": str(port),
            }
        )
        async with serving(settings, library):
            await until_ready(port)
            interaction = discord.send_slash_command("summary", {"query": "labor"})
            response = await discord.wait_for_interaction_response_async(interaction, timeout=10)
            assert response.accepted
            [answer] = discord.messages_for(interaction)
            assert "Labor Tensions" in answer.text
        targets = proxy.targets()
        api = discord.api_url
        assert f"GET {api}/users/@me" in targets
        assert any(t.startswith(f"GET {discord.gateway_url}?") for t in targets)
        assert any(t.startswith(f"POST {api}/interactions/{interaction}/") for t in targets)
        assert all(p.authorization == expected_auth() and p.allowed for p in proxy.passed)
        assert discord.violations == []


def test_check_asks_through_the_proxy(tmp_path: Path) -> None:
    with (
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack,
        FakeDiscord(token=DISCORD_TOKEN) as discord,
        ForwardProxy(user="bot", password=PASSWORD) as proxy,
    ):
        result = check(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=slack.api_url,
            DISCORD_TOKEN=DISCORD_TOKEN,
            DISCORD_API_URL=discord.api_url,
            DISCORD_GUILD_ID=str(discord.guild_id),
            HTTP_PROXY=proxy.url,
            PYTHONPATH=str(ROOT),
        )
    assert result.returncode == 0, result.stdout + result.stderr
    base, api = slack.api_url.rstrip("/"), discord.api_url
    assert sorted(proxy.targets()) == sorted(
        [
            f"POST {base}/auth.test",
            f"POST {base}/apps.connections.open",
            f"GET {api}/users/@me",
            f"GET {api}/guilds/{discord.guild_id}",
        ]
    )
    assert PASSWORD not in result.stdout + result.stderr
