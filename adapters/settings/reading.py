"""Reading the environment through the settings table, and the checks across settings.

:func:`read` gives each concern's values by field name: a variable that is
unset or blank takes its row's default, and a bad value raises
:class:`~bot.errors.ConfigError` naming the variable and the fix. :func:`load_settings`
merges a ``.env`` file (python-dotenv) under the process environment.
:func:`markdown_table` prints the README's configuration table from the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dotenv import dotenv_values

from adapters.settings.parsing import Malformed
from adapters.settings.table import ROWS, Concern, Row
from bot.errors import ConfigError

if TYPE_CHECKING:
    from adapters.settings.groups import DiscordSettings, Settings, SlackSettings

__all__ = ["check_together", "load_settings", "markdown_table", "read"]


def read(environ: Mapping[str, str]) -> dict[Concern, dict[str, Any]]:
    """Every row's value from ``environ`` (or its default), by concern and field."""
    groups: dict[Concern, dict[str, Any]] = {concern: {} for concern in Concern}
    for row in ROWS:
        groups[row.concern][row.field] = _value(row, environ)
    return groups


def _value(row: Row, environ: Mapping[str, str]) -> object:
    for key in (row.key, *row.also):
        text = (environ.get(key) or "").strip()
        if text:
            return _parsed(row, key, text)
    return _parsed(row, row.key, row.default) if row.default else None


def _parsed(row: Row, key: str, text: str) -> object:
    try:
        return row.parse(text)
    except Malformed as error:
        raise ConfigError(f"{key} {error}") from None
    except (ConfigError, ValueError) as error:
        raise ConfigError(f"{key}: {error}") from None


def check_together(slack: SlackSettings, discord: DiscordSettings) -> None:
    """Fail on settings that are fine alone but not together."""
    _check_slack(slack)
    _check_shards(discord)


def _check_slack(slack: SlackSettings) -> None:
    if not slack.enabled:
        if slack.app_token is not None:
            raise ConfigError("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing")
        return
    if slack.mode == "socket" and slack.app_token is None:
        raise ConfigError(
            "SLACK_APP_TOKEN is missing: Socket Mode needs an app-level token (xapp-...) "
            "with connections:write, or set SLACK_MODE=http"
        )
    if slack.mode == "http" and slack.signing_secret is None:
        raise ConfigError("SLACK_SIGNING_SECRET is missing: HTTP mode needs it")


def _check_shards(discord: DiscordSettings) -> None:
    ids, count = discord.shard_ids, discord.shard_count
    if ids is None:
        return
    if count is None:
        raise ConfigError("DISCORD_SHARD_IDS is set but DISCORD_SHARD_COUNT is missing")
    if max(ids) >= count:
        raise ConfigError(
            f"DISCORD_SHARD_IDS: shard {max(ids)} does not exist with "
            f"DISCORD_SHARD_COUNT={count} (shards are numbered 0 to {count - 1})"
        )


def load_settings(
    env_file: str | Path = ".env", environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from ``env_file`` (if it exists) overlaid by ``environ``."""
    import os

    from adapters.settings.groups import Settings

    merged: dict[str, str] = {}
    path = Path(env_file)
    if path.is_file():
        try:
            values = dotenv_values(path)
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot be read ({error.__class__.__name__})") from None
        merged.update({key: value for key, value in values.items() if value is not None})
    merged.update(os.environ if environ is None else environ)
    return Settings.from_environ(merged)


def markdown_table() -> str:
    """The README's configuration table: every variable, its default and its meaning."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for row in ROWS:
        default = f" {row.shown_default} |" if row.shown_default else " |"
        lines.append(f"| `{row.key}` |{default} {row.meaning} |")
    return "\n".join(lines) + "\n"
