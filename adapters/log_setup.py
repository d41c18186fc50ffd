"""Logging for the bot process, with every configured secret scrubbed from the output.

Tokens are kept out of messages on purpose everywhere; this formatter is the
last line of defence, for a third-party library that logs a request or a
traceback with a token in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from adapters.config import Secret, Settings

__all__ = ["RedactingFormatter", "configure_logging", "secrets_of"]

REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], fmt: str = _FORMAT) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def secrets_of(settings: Settings) -> list[str]:
    values = (
        settings.slack_bot_token,
        settings.slack_app_token,
        settings.slack_signing_secret,
        settings.discord_token,
    )
    return [value.reveal() for value in values if isinstance(value, Secret)]


def configure_logging(settings: Settings, level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets_of(settings)))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
