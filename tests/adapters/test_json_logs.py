"""``LOG_FORMAT=json``: one JSON object a line, context fields included, secrets scrubbed."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import pytest

from adapters.dispatch import Dispatcher
from adapters.log_setup import JsonFormatter, configure_logging
from adapters.settings import Settings
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.requests import Request
from bot.errors import ConfigError

TOKEN = "xoxb-1-json-log-secret"


@pytest.fixture
def root_handlers() -> Iterator[None]:
    """configure_logging replaces the root handlers; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_a_record_is_one_json_object_with_its_context_and_no_secret() -> None:
    formatter = JsonFormatter([TOKEN])
    try:
        raise RuntimeError(f"refused {TOKEN}\nsecond line")
    except RuntimeError:
        record = logging.LogRecord(
            "adapters.x", logging.ERROR, __file__, 1, "using %s", (TOKEN,), sys.exc_info()
        )
    record.platform, record.channel, record.latency_ms = "slack", "C1", 1.5
    text = formatter.format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "ERROR" and line["logger"] == "adapters.x"
    assert line["message"] == "using [redacted]"
    assert line["time"].endswith("+00:00") and line["time"][:2] == "20"
    assert (line["platform"], line["channel"], line["latency_ms"]) == ("slack", "C1", 1.5)
    assert "command" not in line
    assert "RuntimeError: refused [redacted]" in line["exception"]
    assert TOKEN not in text


async def test_an_answered_command_is_logged_as_json(
    library: ChannelArticles, root_handlers: None, capfd: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.from_environ(
        {
            "LOG_FORMAT": "json",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_MODE": "http",
            "SLACK_SIGNING_SECRET": "s3cret-x",
        }
    )
    configure_logging(settings, "INFO")
    dispatcher = Dispatcher(library)
    try:
        quick = await dispatcher.answer(read_command("2"), Request("C42", platform="slack"))
        help_reply = await dispatcher.answer(
            read_command("help"), Request("C43", platform="discord")
        )
    finally:
        dispatcher.close()
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines()]
    answered = [line for line in lines if line["logger"] == "adapters.command_log"]
    assert [(a["platform"], a["channel"], a["command"]) for a in answered] == [
        ("slack", "C42", quick.kind.value),
        ("discord", "C43", help_reply.kind.value),
    ]
    assert answered[0]["command"] == "section" and answered[1]["command"] == "help"
    for line in answered:
        assert line["level"] == "INFO"
        assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0


async def test_each_command_is_logged_once_on_either_path(
    library: ChannelArticles, root_handlers: None, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings.from_environ({"LOG_FORMAT": "json"}), "INFO")
    dispatcher = Dispatcher(library)
    try:
        await dispatcher.answer(read_command("sections"), Request(channel="C7", platform="slack"))
        await dispatcher.answer(read_command("articles"), Request(channel="C8", platform="slack"))
    finally:
        dispatcher.close()
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines()]
    answered = [line for line in lines if line["logger"] == "adapters.command_log"]
    assert [(a["channel"], a["command"]) for a in answered] == [
        ("C7", "sections"),  # answered at once
        ("C8", "articles"),  # in a worker
    ]


def test_log_format_is_checked() -> None:
    assert Settings.from_environ({}).service.log_format == "text"
    assert Settings.from_environ({"LOG_FORMAT": "JSON"}).service.log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT: must be text or json"):
        Settings.from_environ({"LOG_FORMAT": "xml"})
