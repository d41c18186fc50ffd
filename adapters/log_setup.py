"""Logging for the bot process, with every configured secret scrubbed from the output.

Tokens are kept out of messages on purpose everywhere; the formatters are the
last line of defence, for a third-party library that logs a request or a
traceback with a token in it.

``LOG_FORMAT=text`` (the default) writes one readable line per record;
``LOG_FORMAT=json`` writes one JSON object per line: ``time`` (UTC, ISO 8601),
``level``, ``logger``, ``message``, ``exception`` when there is a traceback,
and the context a record carries (:data:`CONTEXT_FIELDS`: ``platform``,
``channel``, ``command``, ``latency_ms``), such as the one logged for every
answered command.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from adapters.settings import Secret, Settings

__all__ = [
    "CONTEXT_FIELDS",
    "JsonFormatter",
    "RedactingFormatter",
    "configure_logging",
    "secrets_of",
]

REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Record attributes (set with ``extra=``) that JSON lines carry when a record has them.
CONTEXT_FIELDS = ("platform", "channel", "command", "latency_ms")


class _Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], fmt: str = _FORMAT) -> None:
        super().__init__(fmt)
        self._redact = _Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per record, every string in it scrubbed of the secrets."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._redact = _Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value if isinstance(value, int | float) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(
            {k: self._redact(v) if isinstance(v, str) else v for k, v in line.items()},
            ensure_ascii=False,
        )


def secrets_of(settings: Settings) -> list[str]:
    values = (
        settings.slack.bot_token,
        settings.slack.app_token,
        settings.slack.signing_secret,
        settings.discord.token,
    )
    tokens = [value.reveal() for value in values if isinstance(value, Secret)]
    return tokens + settings.service.proxies.secrets()


def configure_logging(settings: Settings, level: str) -> None:
    handler = logging.StreamHandler()
    secrets = secrets_of(settings)
    json_lines = settings.service.log_format == "json"
    handler.setFormatter(JsonFormatter(secrets) if json_lines else RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
