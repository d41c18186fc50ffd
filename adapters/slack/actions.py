"""Clicks on the bot's buttons and menus in Slack: ``block_actions`` in, an answer on the
click's ``response_url`` out.

The adapter's Bolt listener for the bot's controls (every ``action_id`` that
:data:`~adapters.slack.controls.ACTION_IDS` matches) acks each click at once
(an empty ack: Slack wants it within 3 seconds and takes no message in it),
reads it with :func:`from_block_actions` and serves it through the dispatcher
like a typed command, answering through :class:`ClickReplies`: when the clicker
is the person the controls were made for, the reply replaces the clicked
message (``replace_original``); anyone else, and every error, gets an
ephemeral reply only they see, so the asker's message stays as it is.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from adapters.clicks import Clicked, IncomingClick
from adapters.slack.controls import control_blocks
from adapters.slack.delivery import post_to_response_url
from adapters.slack.render import SlackMessage, render
from bot.chat.replies import Reply

__all__ = ["ClickReplies", "click_payload", "from_block_actions"]


def from_block_actions(body: dict[str, Any]) -> Clicked:
    """The click a ``block_actions`` payload carries: the first action's state."""
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else {}
    action = action if isinstance(action, dict) else {}
    selected = action.get("selected_option")
    state = selected.get("value") if isinstance(selected, dict) else action.get("value")
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Clicked(
        control=state,
        chosen=(),
        clicker=str((body.get("user") or {}).get("id") or ""),
        channel=str(channel.get("id") or container.get("channel_id") or ""),
    )


def click_payload(reply: Reply, *, in_place: bool, clicker: str) -> dict[str, Any]:
    """The ``response_url`` post that shows ``reply``: in place, or to the clicker alone.

    Its controls are made out to the clicker, so their clicks change their own copy.
    """
    first: SlackMessage = render(reply, max_messages=1, controls=control_blocks(reply, clicker))[0]
    if in_place:
        return {**first, "replace_original": True}
    return {**first, "response_type": "ephemeral", "replace_original": False}


class ClickReplies:
    """Answers one click on its ``response_url`` (the click is acked already)."""

    #: The listener acks every click at once: nothing to defer.
    defer_after: float | None = None

    def __init__(
        self,
        incoming: IncomingClick,
        url: str,
        session: aiohttp.ClientSession,
        *,
        proxy: str | None = None,
    ) -> None:
        self._incoming = incoming
        self._url = url
        self._session = session
        self._proxy = proxy

    def __repr__(self) -> str:
        return f"ClickReplies(askers={self._incoming.askers})"

    async def send(self, reply: Reply) -> None:
        in_place = self._incoming.in_place(reply)
        payload = click_payload(reply, in_place=in_place, clicker=self._incoming.request.user)
        await post_to_response_url(self._url, self._session, self._proxy, [payload])

    async def defer(self) -> None:
        return None
