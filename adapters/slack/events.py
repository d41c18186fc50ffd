"""Slack slash commands and events in: a command, read once, and who asked where.

This is where the bot ignores its own messages and other bots' (so two bots
never answer each other forever), strips its own ``<@U…>`` mention, turns
Slack's ``&amp;``/``&lt;``/``&gt;`` back into the characters people typed, and
decides where an answer goes: a mention is answered in its thread (a new
thread under a top-level mention), a direct message where it was written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.chat.commands import Command, read_command
from bot.chat.requests import Request

__all__ = [
    "PLATFORM",
    "Incoming",
    "from_command",
    "from_direct_message",
    "from_mention",
    "strip_mention",
]

PLATFORM = "slack"

#: Message subtypes that are people writing; edits, joins and bot posts are not.
_PEOPLE_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True, slots=True)
class Incoming:
    """A command for the core, who sent it, and where in Slack its answer goes."""

    command: Command
    request: Request
    thread_ts: str | None = None
    direct: bool = False


def from_command(payload: Mapping[str, Any]) -> Incoming:
    """The ``/summary`` command, channel and user of a slash command."""
    request = Request(
        channel=str(payload.get("channel_id") or ""),
        user=str(payload.get("user_id") or ""),
        platform=PLATFORM,
    )
    return Incoming(read_command(unescape(str(payload.get("text") or ""))), request)


def from_mention(event: Mapping[str, Any], bot_user_id: str | None) -> Incoming | None:
    """An ``app_mention``, answered in its thread; ``None`` if a bot wrote it."""
    if not _from_a_person(event, bot_user_id):
        return None
    thread = str(event.get("thread_ts") or event.get("ts") or "") or None
    return _incoming(event, bot_user_id, thread_ts=thread, direct=False)


def from_direct_message(event: Mapping[str, Any], bot_user_id: str | None) -> Incoming | None:
    """A ``message.im`` event; ``None`` for bots, edits and other channels."""
    if event.get("channel_type") != "im" or not _from_a_person(event, bot_user_id):
        return None
    thread = str(event.get("thread_ts") or "") or None
    return _incoming(event, bot_user_id, thread_ts=thread, direct=True)


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """``text`` without the bot's own mention (or a leading one when the id is unknown)."""
    if bot_user_id:
        return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text).strip()
    return _LEADING_MENTION.sub("", text).strip()


def unescape(text: str) -> str:
    """Slack's entities back to the characters typed (``&amp;`` last)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _from_a_person(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    if event.get("subtype") not in _PEOPLE_SUBTYPES:
        return False
    user = event.get("user")
    return isinstance(user, str) and bool(user) and user != bot_user_id


def _incoming(
    event: Mapping[str, Any], bot_user_id: str | None, *, thread_ts: str | None, direct: bool
) -> Incoming:
    channel = str(event.get("channel") or "")
    user = str(event["user"])
    text = unescape(strip_mention(str(event.get("text") or ""), bot_user_id))
    request = Request(channel=channel, user=user, platform=PLATFORM)
    return Incoming(read_command(text), request, thread_ts, direct)
