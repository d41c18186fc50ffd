"""Secrets never reach the log output, even when a library logs them."""

from __future__ import annotations

import logging
import sys

from adapters.log_setup import RedactingFormatter, secrets_of
from adapters.settings import Secret, Settings


def test_formatter_scrubs_secrets_from_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter(["xoxb-123-secret"])
    try:
        raise RuntimeError("bad token xoxb-123-secret")
    except RuntimeError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "using %s", ("xoxb-123-secret",), sys.exc_info()
        )
    text = formatter.format(record)
    assert "xoxb-123-secret" not in text
    assert "using [redacted]" in text
    assert "RuntimeError: bad token [redacted]" in text


def test_secrets_of_settings_and_their_reprs() -> None:
    settings = Settings.from_environ(
        {
            "SLACK_BOT_TOKEN": "xoxb-1-2-abc",
            "SLACK_APP_TOKEN": "xapp-1-abc",
            "DISCORD_TOKEN": "MTI.abc.def",
        }
    )
    assert sorted(secrets_of(settings)) == ["MTI.abc.def", "xapp-1-abc", "xoxb-1-2-abc"]
    shown = repr(settings) + str(settings)
    for secret in secrets_of(settings):
        assert secret not in shown
    assert repr(Secret("x")) == "Secret('**********')"
