"""How one setting's text becomes its value: the parsers the settings table names.

A parser takes the stripped, non-empty text of one variable and returns its
value, or raises :class:`ValueError` (or :class:`~bot.errors.ConfigError`) with
a message that completes ``"NAME: "``; a :class:`Malformed` message completes
``"NAME "`` instead (it never repeats the value: tokens are secret).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from adapters.state.sqlite_file import check_file
from adapters.state.url import DatabaseUrl, is_database_url
from bot.errors import ConfigError
from bot.text.languages import AUTO
from bot.text.tokenizer import language_code

__all__ = [
    "Malformed",
    "Secret",
    "api_url",
    "choice",
    "folder",
    "in_channel",
    "language",
    "log_level",
    "port",
    "positive_float",
    "positive_int",
    "secret",
    "shard_ids",
    "snowflake",
    "state_db",
]

_URL = re.compile(r"^(https?|wss?)://[^\s/]+(/\S*)?$", re.IGNORECASE)


class Malformed(ValueError):
    """A value of the wrong shape, told without repeating it."""


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


def secret(pattern: str | None = None, hint: str = "") -> Callable[[str], Secret]:
    """A parser of tokens that match ``pattern``; ``hint`` says what a good one looks like."""
    shape = None if pattern is None else re.compile(pattern)

    def parse(text: str) -> Secret:
        if shape is not None and not shape.match(text):
            raise Malformed(f"is malformed: check that it {hint} and has no spaces")
        return Secret(text)

    return parse


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(f"must be a whole number above 0, not {text!r}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"must be a number above 0, not {text!r}")
    return value


def port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(f"must be a port number from 0 to 65535, not {text!r}")
    return value


def snowflake(text: str) -> int:
    if not text.isdigit() or len(text) > 20:
        raise ValueError(f"must be a numeric server ID, not {text!r}")
    return int(text)


def language(text: str) -> str:
    if text.lower() == AUTO:
        return AUTO
    language_code(text)
    return text.lower()


def folder(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise ValueError(f"{text!r} is not a folder; create it or fix the path")
    return path


def state_db(text: str) -> Path | DatabaseUrl:
    """A PostgreSQL URL (checked at start-up, when the bot connects), or an SQLite file."""
    if is_database_url(text):
        return DatabaseUrl(text)
    path = Path(text).expanduser()
    try:
        check_file(path)
    except ConfigError as error:
        raise ValueError(str(error).removeprefix("STATE_DB: ")) from None
    return path


def shard_ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise ValueError(f"must be shard numbers separated by commas (0,1), not {text!r}")
    ids = tuple(int(part) for part in parts)
    if len(set(ids)) != len(ids):
        raise ValueError(f"names a shard twice: {text!r}")
    return ids


def log_level(text: str) -> str:
    level = text.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return level


def choice(*names: str) -> Callable[[str], str]:
    """A parser of one of ``names``, in any case (the value is lower-cased)."""
    spelled = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)

    def parse(text: str) -> str:
        if text.lower() not in names:
            raise ValueError(f"must be {spelled}, not {text!r}")
        return text.lower()

    return parse


def in_channel(text: str) -> bool:
    """``in_channel`` (answers everyone sees) or ``ephemeral`` (only the asker)."""
    return choice("in_channel", "ephemeral")(text) == "in_channel"


def api_url(text: str) -> str:
    if not _URL.match(text):
        raise ValueError(f"must be an http(s):// or ws(s):// URL, not {text!r}")
    return text
