"""Settings: read once, at start-up, from the environment and ``.env``.

:func:`load_settings` merges a ``.env`` file (python-dotenv) under the process
environment; :meth:`Settings.from_environ` takes any mapping, so tests pass a
dict. A bad value raises :class:`ConfigError` naming the variable and the fix.
Tokens are kept in :class:`Secret`, whose ``repr`` and ``str`` hide the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

from adapters.fetching import FetchLimits, parse_networks
from adapters.proxies import Proxies, parse_no_proxy, parse_proxy
from adapters.state.sqlite_file import check_file
from adapters.state.url import DatabaseUrl, is_database_url
from bot.chat.permissions import LoadPolicy
from bot.errors import ConfigError
from bot.library import OVERVIEW_WORDS, Options
from bot.sources.files import DEFAULT_MAX_BYTES
from bot.summaries.summarizer import DEFAULT_ALGORITHM, SummaryLength, check_algorithm
from bot.text.languages import AUTO
from bot.text.tokenizer import language_code

__all__ = ["Secret", "Settings", "load_settings"]

T = TypeVar("T")

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DISCORD_API_URL = "https://discord.com/api/v10"
DEFAULT_DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"
_LIMITS = FetchLimits()

_SLACK_BOT_TOKEN = re.compile(r"^xoxb-[A-Za-z0-9-]+$")
_SLACK_APP_TOKEN = re.compile(r"^xapp-[A-Za-z0-9-]+$")
_DISCORD_TOKEN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_URL = re.compile(r"^(https?|wss?)://[^\s/]+(/\S*)?$", re.IGNORECASE)


class Secret:
    """A token or signing secret; never shown in reprs, logs or messages."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the bot reads; see ``.env.example`` for the documentation."""

    article: Path | None = None
    article_max_bytes: int = DEFAULT_MAX_BYTES
    language: str = AUTO
    articles_dir: Path | None = None
    state_db: Path | DatabaseUrl = Path("summary-bot.sqlite3")
    url_loaders: LoadPolicy = field(default_factory=LoadPolicy)
    fetch_limits: FetchLimits = field(default_factory=FetchLimits)
    options: Options = field(default_factory=Options)
    log_level: str | None = None
    rate_limit_commands: int = 10
    rate_limit_seconds: float = 60.0
    max_concurrent_commands: int = 8
    max_concurrent_loads: int = 2
    slack_bot_token: Secret | None = None
    slack_app_token: Secret | None = None
    slack_mode: str = "socket"
    slack_signing_secret: Secret | None = None
    slack_http_port: int = 3000
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_replies_in_channel: bool = True
    discord_token: Secret | None = None
    discord_guild_id: int | None = None
    discord_api_url: str = DEFAULT_DISCORD_API_URL
    discord_gateway_url: str = DEFAULT_DISCORD_GATEWAY_URL
    discord_shard_count: int | None = None
    discord_shard_ids: tuple[int, ...] | None = None
    log_format: str = "text"
    health_port: int | None = None
    proxies: Proxies = field(default_factory=Proxies)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        env = _Reader(environ)
        settings = cls(
            article=env.get("ARTICLE", Path),
            article_max_bytes=env.get("ARTICLE_MAX_BYTES", _positive_int) or DEFAULT_MAX_BYTES,
            language=env.get("LANGUAGE", _language) or AUTO,
            articles_dir=env.get("ARTICLES_DIR", _folder),
            state_db=env.get("STATE_DB", _state_db) or Path("summary-bot.sqlite3"),
            url_loaders=env.get("URL_LOADERS", LoadPolicy.parse) or LoadPolicy(),
            fetch_limits=FetchLimits(
                max_bytes=env.get("URL_MAX_BYTES", _positive_int) or _LIMITS.max_bytes,
                connect_timeout=(
                    env.get("URL_CONNECT_TIMEOUT", _positive_float) or _LIMITS.connect_timeout
                ),
                read_timeout=env.get("URL_READ_TIMEOUT", _positive_float) or _LIMITS.read_timeout,
                allowed_networks=env.get("URL_ALLOWED_NETWORKS", parse_networks) or (),
            ),
            options=Options(
                algorithm=env.get("SUMMARY_ALGORITHM", check_algorithm) or DEFAULT_ALGORITHM,
                length=env.get("SUMMARY_LENGTH", SummaryLength.parse) or SummaryLength(3),
                overview_words=env.get("OVERVIEW_WORDS", _positive_int) or OVERVIEW_WORDS,
                answers=env.get("ANSWER_COUNT", _positive_int) or 3,
            ),
            log_level=env.get("LOG_LEVEL", _log_level),
            rate_limit_commands=env.get("RATE_LIMIT_COMMANDS", _positive_int) or 10,
            rate_limit_seconds=env.get("RATE_LIMIT_SECONDS", _positive_float) or 60.0,
            max_concurrent_commands=env.get("MAX_CONCURRENT_COMMANDS", _positive_int) or 8,
            max_concurrent_loads=env.get("MAX_CONCURRENT_LOADS", _positive_int) or 2,
            slack_bot_token=env.secret("SLACK_BOT_TOKEN", _SLACK_BOT_TOKEN, "starts with xoxb-"),
            slack_app_token=env.secret("SLACK_APP_TOKEN", _SLACK_APP_TOKEN, "starts with xapp-"),
            slack_mode=env.get("SLACK_MODE", _slack_mode) or "socket",
            slack_signing_secret=env.secret("SLACK_SIGNING_SECRET", None, ""),
            slack_http_port=env.get("SLACK_HTTP_PORT", _port) or 3000,
            slack_api_url=env.get("SLACK_API_URL", _api_url) or DEFAULT_SLACK_API_URL,
            slack_replies_in_channel=env.get("SLACK_REPLY_VISIBILITY", _visibility) != "ephemeral",
            discord_token=env.secret(
                "DISCORD_TOKEN", _DISCORD_TOKEN, "is the bot token from the Developer Portal"
            ),
            discord_guild_id=env.get("DISCORD_GUILD_ID", _snowflake),
            discord_api_url=env.get("DISCORD_API_URL", _api_url) or DEFAULT_DISCORD_API_URL,
            discord_gateway_url=(
                env.get("DISCORD_GATEWAY_URL", _api_url) or DEFAULT_DISCORD_GATEWAY_URL
            ),
            discord_shard_count=env.get("DISCORD_SHARD_COUNT", _positive_int),
            discord_shard_ids=env.get("DISCORD_SHARD_IDS", _shard_ids),
            log_format=env.get("LOG_FORMAT", _log_format) or "text",
            health_port=env.get("HEALTH_PORT", _port),
            proxies=Proxies(
                https=env.get("HTTPS_PROXY", parse_proxy) or env.get("https_proxy", parse_proxy),
                http=env.get("HTTP_PROXY", parse_proxy) or env.get("http_proxy", parse_proxy),
                no_proxy=(
                    env.get("NO_PROXY", parse_no_proxy) or env.get("no_proxy", parse_no_proxy) or ()
                ),
            ),
        )
        settings._check_slack()
        settings._check_shards()
        return settings

    def _check_shards(self) -> None:
        ids, count = self.discord_shard_ids, self.discord_shard_count
        if ids is None:
            return
        if count is None:
            raise ConfigError("DISCORD_SHARD_IDS is set but DISCORD_SHARD_COUNT is missing")
        if max(ids) >= count:
            raise ConfigError(
                f"DISCORD_SHARD_IDS: shard {max(ids)} does not exist with "
                f"DISCORD_SHARD_COUNT={count} (shards are numbered 0 to {count - 1})"
            )

    def _check_slack(self) -> None:
        if not self.slack_enabled:
            if self.slack_app_token is not None:
                raise ConfigError("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing")
            return
        if self.slack_mode == "socket" and self.slack_app_token is None:
            raise ConfigError(
                "SLACK_APP_TOKEN is missing: Socket Mode needs an app-level token (xapp-...) "
                "with connections:write, or set SLACK_MODE=http"
            )
        if self.slack_mode == "http" and self.slack_signing_secret is None:
            raise ConfigError("SLACK_SIGNING_SECRET is missing: HTTP mode needs it")


def load_settings(
    env_file: str | Path = ".env", environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from ``env_file`` (if it exists) overlaid by ``environ``."""
    import os

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


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def raw(self, name: str) -> str | None:
        value = self._environ.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def get(self, name: str, convert: Callable[[str], T]) -> T | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            return convert(value)
        except (ConfigError, ValueError) as error:
            raise ConfigError(f"{name}: {error}") from None

    def secret(self, name: str, pattern: re.Pattern[str] | None, hint: str) -> Secret | None:
        value = self.raw(name)
        if value is None:
            return None
        if pattern is not None and not pattern.match(value):
            raise ConfigError(f"{name} is malformed: check that it {hint} and has no spaces")
        return Secret(value)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(f"must be a whole number above 0, not {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"must be a number above 0, not {text!r}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(f"must be a port number from 0 to 65535, not {text!r}")
    return value


def _snowflake(text: str) -> int:
    if not text.isdigit() or len(text) > 20:
        raise ValueError(f"must be a numeric server ID, not {text!r}")
    return int(text)


def _language(text: str) -> str:
    if text.lower() == AUTO:
        return AUTO
    language_code(text)
    return text.lower()


def _folder(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise ValueError(f"{text!r} is not a folder; create it or fix the path")
    return path


def _state_db(text: str) -> Path | DatabaseUrl:
    """A PostgreSQL URL (checked at start-up, when the bot connects), or an SQLite file."""
    if is_database_url(text):
        return DatabaseUrl(text)
    path = Path(text).expanduser()
    try:
        check_file(path)
    except ConfigError as error:
        raise ValueError(str(error).removeprefix("STATE_DB: ")) from None
    return path


def _shard_ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise ValueError(f"must be shard numbers separated by commas (0,1), not {text!r}")
    ids = tuple(int(part) for part in parts)
    if len(set(ids)) != len(ids):
        raise ValueError(f"names a shard twice: {text!r}")
    return ids


def _log_level(text: str) -> str:
    level = text.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return level


def _slack_mode(text: str) -> str:
    mode = text.lower()
    if mode not in {"socket", "http"}:
        raise ValueError(f"must be socket or http, not {text!r}")
    return mode


def _visibility(text: str) -> str:
    visibility = text.lower()
    if visibility not in {"in_channel", "ephemeral"}:
        raise ValueError(f"must be in_channel or ephemeral, not {text!r}")
    return visibility


def _api_url(text: str) -> str:
    if not _URL.match(text):
        raise ValueError(f"must be an http(s):// or ws(s):// URL, not {text!r}")
    return text


def _log_format(text: str) -> str:
    if text.lower() not in {"text", "json"}:
        raise ValueError(f"must be text or json, not {text!r}")
    return text.lower()
