"""Discord events in: messages and interactions to a command, read once, and a request.

A message counts when it is a DM or mentions the bot, and it never counts when
a bot wrote it (the bot's own replies come back over the gateway too). The
bot's mention is taken out of the text; the rest goes to the core as typed.
:func:`section_choices` offers the sections the core says the typed text names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import discord

from bot.articles.sections import Titled, named_sections
from bot.chat.commands import Command, read_command
from bot.chat.requests import Request
from bot.text.document import Section

__all__ = [
    "MAX_CHOICES",
    "PLATFORM",
    "Incoming",
    "from_interaction",
    "from_message",
    "section_choices",
]

PLATFORM = "discord"

#: Discord shows at most 25 autocomplete choices, of at most 100 characters.
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100


@dataclass(frozen=True, slots=True)
class Incoming:
    """A command for the core, and who sent it where."""

    command: Command
    request: Request


def from_message(message: discord.Message, me: discord.abc.User) -> Incoming | None:
    """The command in ``message``, or ``None`` when it is not addressed to the bot."""
    if message.author.bot or message.author.id == me.id:
        return None
    direct = message.guild is None
    if not direct and not any(user.id == me.id for user in message.mentions):
        return None
    request = Request(
        channel=str(message.channel.id),
        user=str(message.author.id),
        is_admin=_administers(message.author),
        platform=PLATFORM,
    )
    return Incoming(read_command(strip_mention(message.content, me.id)), request)


def from_interaction(interaction: discord.Interaction, query: str | None) -> Incoming:
    """The ``/summary`` command of an interaction (its ``query`` option)."""
    request = Request(
        channel=str(interaction.channel_id or ""),
        user=str(interaction.user.id),
        is_admin=_may_manage(interaction.permissions),
        platform=PLATFORM,
    )
    return Incoming(read_command(query or ""), request)


def strip_mention(text: str, bot_id: int) -> str:
    """``text`` without the bot's ``<@id>`` mentions and the ``:``/``,`` after a leading one."""
    stripped = re.sub(rf"<@!?{bot_id}>", " ", text).strip()
    return stripped.lstrip(":,").strip() if re.match(rf"\s*<@!?{bot_id}>", text) else stripped


def _administers(user: discord.abc.User) -> bool:
    return isinstance(user, discord.Member) and _may_manage(user.guild_permissions)


def _may_manage(permissions: discord.Permissions) -> bool:
    return permissions.administrator or permissions.manage_guild


def section_choices(article: Titled, typed: str) -> list[tuple[str, str]]:
    """Up to 25 ``(name, value)`` choices for what the user typed so far.

    The name is ``"2. Title"``; the value is the section number, which the core
    reads as ``/summary 2``. The sections are the core's
    :func:`~bot.articles.sections.named_sections`, best first.
    """
    named = named_sections(article, typed)[:MAX_CHOICES]
    return [(_name(section), str(section.number)) for section in named]


def _name(section: Section) -> str:
    name = " ".join(f"{section.number}. {section.title}".split())
    return name if len(name) <= MAX_CHOICE_NAME else name[: MAX_CHOICE_NAME - 1] + "…"
