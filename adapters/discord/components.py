"""Clicks on the bot's buttons and menus in Discord: component interactions (type 3).

The state of every control is in its ``custom_id`` (and a menu's chosen value),
so a click works after a restart and on any process. This is what discord.py's
``DynamicItem`` is for, but its dispatch silently drops a click whose
``custom_id`` is not on the message or does not parse, which would leave a
forged or stale click unanswered. So every component interaction comes here,
from the client's ``on_interaction``: :func:`from_component` reads it, and the
adapter serves its command through the dispatcher like a typed one, answering
through :class:`ClickReplies`.

A click by the person the controls were made for edits the clicked message in
place (UPDATE_MESSAGE, type 7); anyone else, and every error, gets an
ephemeral reply only they see. An answer that is not ready within
``defer_after`` seconds is deferred (type 6) and sent when ready (an edit of
the clicked message, or an ephemeral follow-up), inside Discord's 3 seconds
either way. Nothing sent can ping anyone (``allowed_mentions`` allow nothing).
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.clicks import Clicked, IncomingClick
from adapters.discord.callback import (
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_UPDATE,
    InteractionCallbacks,
)
from adapters.discord.controls import Rows, control_rows
from adapters.discord.delivery import NO_PINGS, embeds_of
from adapters.discord.render import DiscordMessage, render, unescape
from bot.chat.control_ids import MAX_CHOSEN
from bot.chat.replies import Reply
from bot.chat.views import asked_in

__all__ = ["ClickReplies", "from_component"]


def from_component(interaction: discord.Interaction) -> Clicked:
    """The click a component interaction carries (at most 25 of a menu's values)."""
    data: dict[str, Any] = dict(interaction.data or {})
    values = data.get("values")
    chosen = tuple(values[: MAX_CHOSEN + 1]) if isinstance(values, list) else ()
    return Clicked(
        control=data.get("custom_id"),
        chosen=chosen,
        clicker=str(interaction.user.id),
        channel=str(interaction.channel_id or ""),
        asked=_asked(interaction.message),
    )


def _asked(message: discord.Message | None) -> str:
    """The question an answer on ``message`` shows in its embed title ("" if none)."""
    for embed in message.embeds if message is not None else ():
        question = asked_in(unescape(embed.title or ""))
        if question:
            return question
    return ""


class ClickReplies:
    """Answers one click: update the message, or answer the clicker alone; or defer first."""

    def __init__(
        self,
        interaction: discord.Interaction,
        callbacks: InteractionCallbacks,
        incoming: IncomingClick,
        *,
        defer_after: float,
    ) -> None:
        self._interaction = interaction
        self._callbacks = callbacks
        self._incoming = incoming
        self.defer_after: float | None = defer_after
        self._deferred = False

    def __repr__(self) -> str:
        return f"ClickReplies({self._interaction.id}, deferred={self._deferred})"

    async def defer(self) -> None:
        interaction = self._interaction
        await self._callbacks.respond(interaction.id, interaction.token, CALLBACK_DEFERRED_UPDATE)
        self._deferred = True

    async def send(self, reply: Reply) -> None:
        message = self._message(reply)
        if self._deferred:
            await self._after_deferral(message, in_place=self._incoming.in_place(reply))
            return
        interaction = self._interaction
        data = {**message.to_payload(), "allowed_mentions": NO_PINGS.to_dict()}
        if self._incoming.in_place(reply):
            data.setdefault("components", [])  # a view without controls takes the old ones away
            await self._callbacks.respond(interaction.id, interaction.token, CALLBACK_UPDATE, data)
        else:
            await self._callbacks.message(interaction.id, interaction.token, data, private=True)

    def _message(self, reply: Reply) -> DiscordMessage:
        """The one message that shows ``reply``, its controls made out to the clicker."""
        controls = control_rows(reply, self._incoming.request.user)
        return render(reply, max_messages=1, controls=controls)[0]

    async def _after_deferral(self, message: DiscordMessage, *, in_place: bool) -> None:
        view = Rows(message.components)
        if in_place:
            await self._interaction.edit_original_response(
                content=message.content,
                embeds=embeds_of(message),
                view=view,
                allowed_mentions=NO_PINGS,
            )
        else:
            await self._interaction.followup.send(
                message.content,
                embeds=embeds_of(message),
                view=view,
                ephemeral=True,
                allowed_mentions=NO_PINGS,
            )
