"""``/summary`` as a Discord app command: its definition, its upload, and the invite URL.

The command is uploaded to one server at once (``DISCORD_GUILD_ID``) or
globally, and only when Discord's copy differs from ours as people see it, so
a restart does not upload it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.errors import ConfigError

__all__ = [
    "COMMAND_DESCRIPTION",
    "INVITE_PERMISSIONS",
    "QUERY_DESCRIPTION",
    "add_command",
    "invite_url",
    "sync",
]

log = logging.getLogger(__name__)

#: What the bot needs in a channel: see it, answer in it and its threads, with
#: embeds, as a reply to the message that asked (which needs the history).
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")
COMMAND_DESCRIPTION = "Summarize the article, one section of it, or answer a question from it"
QUERY_DESCRIPTION = "A section number or title, a question, or help"

Tree = app_commands.CommandTree[Any]


class CommandHost(Protocol):
    """What answers ``/summary`` and completes its query (looked up at each call)."""

    async def on_command(self, interaction: discord.Interaction, query: str | None) -> None: ...

    def choices(self, interaction: discord.Interaction, typed: str) -> list[tuple[str, str]]: ...


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    """The OAuth2 URL that adds the bot with the scopes and permissions it needs."""
    guild = discord.Object(guild_id) if guild_id is not None else discord.utils.MISSING
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, guild=guild, scopes=SCOPES
    )


def add_command(tree: Tree, host: CommandHost, guild_id: int | None) -> None:
    """``/summary [query]``, answered and completed by ``host``."""

    @app_commands.command(name="summary", description=COMMAND_DESCRIPTION)
    @app_commands.describe(query=QUERY_DESCRIPTION)
    async def summary(interaction: discord.Interaction, query: str | None = None) -> None:
        await host.on_command(interaction, query)

    @summary.autocomplete("query")
    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=name, value=value)
            for name, value in host.choices(interaction, current)
        ]

    guild = discord.Object(guild_id) if guild_id is not None else None
    tree.add_command(summary, guild=guild)


async def sync(tree: Tree, guild_id: int | None) -> None:
    """Upload ``/summary`` (to one server at once, or globally) unless Discord has it already."""
    guild = discord.Object(guild_id) if guild_id is not None else None
    where = f"server {guild_id}" if guild_id is not None else "every server (within an hour)"
    try:
        if await _up_to_date(tree, guild):
            log.info("/summary is up to date on %s", where)
            return
        synced = await tree.sync(guild=guild)
    except discord.Forbidden as error:
        place = f"server {guild_id} (DISCORD_GUILD_ID)" if guild_id else "Discord"
        raise ConfigError(
            f"{place} refused the /summary command ({error.status}): invite the bot with the "
            "applications.commands scope, using the URL summary-bot prints, and check the ID"
        ) from None
    except discord.HTTPException:
        log.exception("could not sync /summary; mentions and DMs still work")
        return
    log.info("synced %s to %s", ", ".join(f"/{c.name}" for c in synced), where)


async def _up_to_date(tree: Tree, guild: discord.Object | None) -> bool:
    """Whether Discord already has these commands, as people see them (so no upload)."""
    ours = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    theirs = [command.to_dict() for command in await tree.fetch_commands(guild=guild)]
    return sorted(map(_shown, ours)) == sorted(map(_shown, theirs))


def _shown(command: Mapping[str, Any]) -> str:
    """A command's name, description, type and options, in a comparable form."""

    def option(data: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "name": data.get("name"),
            "description": data.get("description") or "",
            "type": data.get("type"),
            "required": bool(data.get("required")),
            "autocomplete": bool(data.get("autocomplete")),
            "choices": [(c.get("name"), c.get("value")) for c in data.get("choices") or []],
            "options": [option(o) for o in data.get("options") or []],
        }

    shown = option(command)
    shown["type"] = command.get("type") or 1
    return json.dumps(shown, sort_keys=True)
