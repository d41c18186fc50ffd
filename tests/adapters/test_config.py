"""Settings from the environment and .env: defaults, bad values named, secrets hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.settings import Settings, load_settings
from bot.errors import ConfigError
from bot.summaries.summarizer import SummaryLength


def test_defaults() -> None:
    settings = Settings.from_environ({})
    assert settings.core.article is None
    assert settings.core.options.algorithm == "coverage"
    assert settings.core.options.length == SummaryLength(3)
    assert settings.core.options.overview_words == 150
    assert not settings.slack.enabled
    assert not settings.discord.enabled
    assert settings.slack.api_url == "https://slack.com/api/"
    assert settings.discord.api_url == "https://discord.com/api/v10"
    assert settings.discord.gateway_url == "wss://gateway.discord.gg/"


def test_overview_words_and_sumy_algorithms_are_read() -> None:
    settings = Settings.from_environ({"OVERVIEW_WORDS": "80", "SUMMARY_ALGORITHM": "lex_rank"})
    assert settings.core.options.overview_words == 80
    assert settings.core.options.algorithm == "lex-rank"


def test_empty_values_mean_unset() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    settings = load_settings(example, environ={})
    assert not settings.slack.enabled
    assert not settings.discord.enabled


def test_endpoints_may_be_plain_http_on_any_host() -> None:
    settings = Settings.from_environ(
        {
            "SLACK_API_URL": "http://127.0.0.1:9999/api/",
            "DISCORD_API_URL": "http://proxy.internal:8080/api/v10",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9998/gateway",
        }
    )
    assert settings.slack.api_url == "http://127.0.0.1:9999/api/"
    assert settings.discord.gateway_url == "ws://127.0.0.1:9998/gateway"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_MODE": "http"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_MODE": "carrier-pigeon"}, "SLACK_MODE"),
        ({"DISCORD_TOKEN": "not a token"}, "DISCORD_TOKEN"),
        ({"DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"DISCORD_GATEWAY_URL": "ftp://x"}, "DISCORD_GATEWAY_URL"),
        ({"SLACK_HTTP_PORT": "70000"}, "SLACK_HTTP_PORT"),
        ({"SUMMARY_ALGORITHM": "magic"}, "SUMMARY_ALGORITHM"),
        ({"SUMMARY_LENGTH": "-3"}, "SUMMARY_LENGTH"),
        ({"OVERVIEW_WORDS": "0"}, "OVERVIEW_WORDS"),
        ({"OVERVIEW_WORDS": "lots"}, "OVERVIEW_WORDS"),
        ({"ANSWER_COUNT": "zero"}, "ANSWER_COUNT"),
        ({"RATE_LIMIT_SECONDS": "nan"}, "RATE_LIMIT_SECONDS"),
        ({"LANGUAGE": "klingon"}, "LANGUAGE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"ARTICLE_MAX_BYTES": "10**30"}, "ARTICLE_MAX_BYTES"),
    ],
)
def test_bad_values_name_the_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_environ(environ)
    message = str(caught.value)
    assert named in message
    assert "\n" not in message


def test_malformed_token_value_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_environ({"DISCORD_TOKEN": "secret value with spaces"})
    assert "secret value" not in str(caught.value)


def test_env_file_under_the_environment(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SUMMARY_LENGTH=2\nANSWER_COUNT=5\n# comment\n\nexport LANGUAGE=english\n")
    settings = load_settings(env_file, environ={"ANSWER_COUNT": "4"})
    assert settings.core.options.length == SummaryLength(2)
    assert settings.core.options.answers == 4


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\xff\xfe binary",
        b"=====\nnot a setting at all\n'unterminated=\n",
        b"\xef\xbb\xbfSUMMARY_LENGTH=2\r\n",
        b"A=" + b"x" * 1_000_000 + b"\n",
    ],
)
def test_odd_env_files_give_settings_or_one_clear_error(tmp_path: Path, content: bytes) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(content)
    try:
        settings = load_settings(env_file, environ={})
    except ConfigError as error:
        assert ".env" in str(error)
        assert "\n" not in str(error)
    else:
        assert settings.core.options.algorithm == "coverage"
