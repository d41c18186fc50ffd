"""Clicks on the bot's buttons and menus in Discord: component interactions (type 3).

The state of every control is in its ``custom_id`` (and a menu's chosen value),
so a click works after a restart and on any process: this is what discord.py's
``DynamicItem`` is for, but its dispatch silently drops a click whose
``custom_id`` is not on the message or does not parse, which would leave a
forged or stale click unanswered. So every component interaction comes here,
from the client's ``on_interaction``, and each gets an answer.

A click by the person the controls were made for edits the clicked message in
place (UPDATE_MESSAGE, type 7); anyone else, and every error, gets an
ephemeral reply only they see. An answer that is not ready within
``defer_after`` seconds is deferred (type 6) and sent when ready (an edit of
the clicked message, or an ephemeral follow-up), inside Discord's 3 seconds
either way. Nothing sent can ping anyone (``allowed_mentions`` allow nothing).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord

from adapters.clicks import ClickAnswer, Clicked, answer_click
from adapters.discord.callback import (
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_UPDATE,
    InteractionCallbacks,
)
from adapters.discord.controls import control_rows
from adapters.discord.render import DiscordMessage, render
from adapters.dispatch import Dispatcher, apology

__all__ = ["DiscordClicks", "Rows", "from_component"]

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
#: Menu values read at most (a single-choice menu sends one).
MAX_VALUES = 25


class Rows(discord.ui.View):
    """Action rows already rendered (:mod:`adapters.discord.controls`), for discord.py's
    ``view=``; they are answered by :class:`DiscordClicks`, so the view is never kept."""

    def __init__(self, rows: tuple[dict[str, Any], ...]) -> None:
        super().__init__(timeout=None)
        self._rows = rows

    def to_components(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def is_dispatchable(self) -> bool:
        return False


def rows_of(message: DiscordMessage) -> Any:
    """``view=`` for a message: its rows, or discord.py's MISSING when it has none."""
    return Rows(message.components) if message.components else discord.utils.MISSING


def from_component(interaction: discord.Interaction) -> Clicked:
    """The click a component interaction carries."""
    data: dict[str, Any] = dict(interaction.data or {})
    values = data.get("values")
    chosen = [str(v) for v in values[:MAX_VALUES]] if isinstance(values, list) else []
    return Clicked(
        control=str(data.get("custom_id") or ""),
        chosen=tuple(chosen),
        clicker=str(interaction.user.id),
        channel=str(interaction.channel_id or ""),
    )


class DiscordClicks:
    """Answers component interactions; ``callbacks`` is the adapter's (None while stopped)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        callbacks: Callable[[], InteractionCallbacks | None],
        *,
        defer_after: float = 2.0,
    ) -> None:
        self._dispatcher = dispatcher
        self._callbacks = callbacks
        self._defer_after = defer_after

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        callbacks = self._callbacks()
        if interaction.type is not discord.InteractionType.component or callbacks is None:
            return
        clicked = from_component(interaction)
        deferred = False
        try:
            work = asyncio.ensure_future(
                answer_click(self._dispatcher, clicked, platform="discord")
            )
            try:
                answer = await asyncio.wait_for(asyncio.shield(work), self._defer_after)
            except TimeoutError:
                await callbacks.respond(interaction.id, interaction.token, CALLBACK_DEFERRED_UPDATE)
                deferred = True
                answer = await work
            await _send(interaction, callbacks, answer, clicked.clicker, deferred=deferred)
        except Exception:
            log.exception("a click in channel %s failed", clicked.channel or "?")
            await _apologise(interaction, callbacks, clicked.clicker, deferred=deferred)


def _message(answer: ClickAnswer, clicker: str) -> DiscordMessage:
    reply = answer.reply
    return render(reply, max_messages=1, controls=control_rows(reply, clicker))[0]


async def _send(
    interaction: discord.Interaction,
    callbacks: InteractionCallbacks,
    answer: ClickAnswer,
    clicker: str,
    *,
    deferred: bool,
) -> None:
    message = _message(answer, clicker)
    data = {**message.to_payload(), "allowed_mentions": NO_PINGS.to_dict()}
    if not deferred:
        if answer.in_place:
            data.setdefault("components", [])  # a view without controls takes the old ones away
            await callbacks.respond(interaction.id, interaction.token, CALLBACK_UPDATE, data)
        else:
            await callbacks.message(interaction.id, interaction.token, data, private=True)
        return
    embeds = [discord.Embed.from_dict(embed) for embed in message.embeds]
    view = Rows(message.components)
    if answer.in_place:
        await interaction.edit_original_response(
            content=message.content, embeds=embeds, view=view, allowed_mentions=NO_PINGS
        )
    else:
        await interaction.followup.send(
            message.content, embeds=embeds, view=view, ephemeral=True, allowed_mentions=NO_PINGS
        )


async def _apologise(
    interaction: discord.Interaction,
    callbacks: InteractionCallbacks,
    clicker: str,
    *,
    deferred: bool,
) -> None:
    try:
        await _send(
            interaction, callbacks, ClickAnswer(apology(), False), clicker, deferred=deferred
        )
    except Exception as error:
        log.warning("could not send the apology for a click either: %s", error)
