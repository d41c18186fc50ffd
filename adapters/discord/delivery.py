"""How a reply reaches Discord: as an interaction's response, or in reply to a message.

:class:`InteractionReplies` answers ``/summary``: directly when the reply is
ready within ``defer_after`` (Discord wants the first response within 3
seconds), otherwise the interaction is deferred ("thinking…") and the original
response is edited once the reply is ready; messages past the first are
follow-ups. Help, errors and no-match answers are ephemeral (only the asker
sees them); when one comes after a deferral, the channel's "thinking…" is
deleted and the answer goes to the asker alone. :class:`MessageReplies`
answers a mention or a DM in its channel, the first message as a reply to the
one that asked, and shows "typing…" while a reply takes long. A reply that
shows part of an article carries its buttons and menus on its last message
(:mod:`adapters.discord.controls`), made out to the person who asked.

Every send, edit and follow-up carries ``allowed_mentions`` that allow nothing
(:data:`NO_PINGS`; the renderer breaks mentions in the text as well).
"""

from __future__ import annotations

from typing import cast

import discord
from discord.types.embed import Embed as EmbedData

from adapters.discord.callback import InteractionCallbacks
from adapters.discord.controls import control_rows, rows_of
from adapters.discord.render import DiscordMessage, render
from bot.chat.replies import Reply

__all__ = ["NO_PINGS", "InteractionReplies", "MessageReplies", "embeds_of"]

NO_PINGS = discord.AllowedMentions.none()


class InteractionReplies:
    """Answers one interaction: respond, or defer and edit; then follow up."""

    def __init__(
        self,
        interaction: discord.Interaction,
        callbacks: InteractionCallbacks,
        *,
        defer_after: float,
    ) -> None:
        self._interaction = interaction
        self._callbacks = callbacks
        self.defer_after: float | None = defer_after
        self._deferred = False
        self._answered = False  # the initial response went out (a message or "thinking…")
        self._shown = False  # a message of the reply went out

    def __repr__(self) -> str:
        return f"InteractionReplies({self._interaction.id}, deferred={self._deferred})"

    async def defer(self) -> None:
        await self._interaction.response.defer(thinking=True)
        self._deferred = self._answered = True

    async def send(self, reply: Reply) -> None:
        controls = control_rows(reply, str(self._interaction.user.id))
        messages, private = render(reply, controls=controls), reply.private
        if self._deferred and not self._shown and private:
            await self._privately(messages)
            return
        first, *rest = messages
        if not self._answered:
            interaction = self._interaction
            data = {**first.to_payload(), "allowed_mentions": NO_PINGS.to_dict()}
            await self._callbacks.message(interaction.id, interaction.token, data, private=private)
        elif not self._shown:
            await self._interaction.edit_original_response(
                content=first.content,
                embeds=embeds_of(first),
                allowed_mentions=NO_PINGS,
                view=rows_of(first),
            )
        else:
            rest = [first, *rest]
        self._answered = self._shown = True
        for message in rest:
            await self._interaction.followup.send(
                message.content,
                embeds=embeds_of(message),
                ephemeral=private,
                allowed_mentions=NO_PINGS,
                view=rows_of(message),
            )

    async def _privately(self, messages: list[DiscordMessage]) -> None:
        """After a public deferral: take "thinking…" away, answer the asker alone."""
        await self._interaction.delete_original_response()
        self._shown = True
        for message in messages:
            await self._interaction.followup.send(
                message.content,
                embeds=embeds_of(message),
                ephemeral=True,
                allowed_mentions=NO_PINGS,
                view=rows_of(message),
            )


class MessageReplies:
    """Answers a mention or a DM in its channel; "typing…" while a reply takes long."""

    def __init__(self, asked: discord.Message, *, defer_after: float) -> None:
        self._asked = asked
        self.defer_after: float | None = defer_after
        self._reference: discord.MessageReference | None = asked.to_reference(
            fail_if_not_exists=False
        )

    def __repr__(self) -> str:
        return f"MessageReplies({self._asked.id})"

    async def defer(self) -> None:
        await self._asked.channel.typing()

    async def send(self, reply: Reply) -> None:
        """The reply, its first message as a reply to the one that asked."""
        controls = control_rows(reply, str(self._asked.author.id))
        for message in render(reply, controls=controls):
            await self._asked.channel.send(
                message.content,
                embeds=embeds_of(message),
                reference=self._reference or discord.utils.MISSING,
                mention_author=False,
                allowed_mentions=NO_PINGS,
                view=rows_of(message),
            )
            self._reference = None


def embeds_of(message: DiscordMessage) -> list[discord.Embed]:
    """A rendered message's embeds, as discord.py takes them."""
    return [discord.Embed.from_dict(cast(EmbedData, embed)) for embed in message.embeds]
