"""The settings table: each variable declared once, read into its group, printed for the README."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields

import pytest

from adapters.settings import (
    CoreSettings,
    DiscordSettings,
    ServiceSettings,
    Settings,
    SlackSettings,
    StorageSettings,
    WebSettings,
)
from adapters.settings.reading import markdown_table
from adapters.settings.table import ROWS, Concern
from bot.errors import ConfigError
from tests.conftest import ROOT

GROUPS = {
    Concern.CORE: CoreSettings,
    Concern.STORAGE: StorageSettings,
    Concern.WEB: WebSettings,
    Concern.SERVICE: ServiceSettings,
    Concern.SLACK: SlackSettings,
    Concern.DISCORD: DiscordSettings,
}


def test_each_variable_is_declared_once() -> None:
    keys = [row.key for row in ROWS]
    assert len(keys) == len(set(keys))
    places = [(row.concern, row.field) for row in ROWS]
    assert len(places) == len(set(places))


@pytest.mark.parametrize("concern", list(Concern))
def test_each_groups_fields_are_its_rows(concern: Concern) -> None:
    rows = [row.field for row in ROWS if row.concern is concern]
    assert [f.name for f in fields(GROUPS[concern])] == rows


def test_a_value_lands_in_its_group_and_its_flat_name() -> None:
    settings = Settings.from_environ(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_MODE": "HTTP",
            "SLACK_SIGNING_SECRET": "s",
            "URL_CONNECT_TIMEOUT": "2.5",
            "SUMMARY_LENGTH": "20%",
            "DISCORD_SHARD_COUNT": "4",
        }
    )
    assert settings.slack.mode == settings.slack.mode == "http"
    assert settings.slack.enabled and settings.slack.enabled
    assert settings.web.limits.connect_timeout == settings.web.limits.connect_timeout == 2.5
    assert str(settings.core.options.length) == "20%"
    assert settings.discord.shard_count == settings.discord.shard_count == 4


def test_the_upper_case_proxy_wins_and_a_bad_lower_case_one_is_named() -> None:
    both = Settings.from_environ({"HTTPS_PROXY": "http://up:1", "https_proxy": "http://low:1"})
    assert both.service.https_proxy == "http://up:1"
    with pytest.raises(ConfigError, match=r"^https_proxy: "):
        Settings.from_environ({"https_proxy": "socks5://proxy:1080"})


def test_a_blank_value_takes_the_default() -> None:
    settings = Settings.from_environ({"SLACK_MODE": "  ", "RATE_LIMIT_SECONDS": ""})
    assert settings.slack.mode == "socket"
    assert settings.service.rate_limit_seconds == 60.0


def test_with_article_changes_only_the_article() -> None:
    settings = Settings.from_environ({"ANSWER_COUNT": "5"})
    moved = settings.with_article(ROOT / "README.md")
    assert moved.core.article == ROOT / "README.md"
    assert moved.core.answers == 5 and moved.slack == settings.slack


def test_the_table_is_printed_by_python_m_adapters_settings() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.settings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == markdown_table()
    assert "| `SLACK_MODE` | `socket` | `socket` (no public URL needed) or `http` |" in done.stdout
    assert "| `ARTICLES_DIR` | | folder of" in done.stdout
