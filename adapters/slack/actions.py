"""Clicks on the bot's buttons and menus in Slack: Bolt ``block_actions`` listeners.

Every click is acked at once (an empty ack, well within Slack's 3 seconds) and
answered by a task of its own through the click's ``response_url``: when the
clicker is the person the controls were made for, the reply replaces the
clicked message (``replace_original``); anyone else, and every error, gets an
ephemeral reply that only they see, so the asker's message stays as it is.
The click reaches the core through :func:`adapters.clicks.answer_click`; a
failure is logged and answered with a short apology.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from adapters.clicks import ClickAnswer, Clicked, answer_click
from adapters.dispatch import Dispatcher, apology
from adapters.slack.controls import ACTION_IDS, control_blocks
from adapters.slack.render import render

__all__ = ["SlackActions", "click_payload", "from_block_actions"]

log = logging.getLogger(__name__)

Post = Callable[[str, list[dict[str, Any]]], Awaitable[None]]
Start = Callable[[Coroutine[Any, Any, None]], None]


def from_block_actions(body: dict[str, Any]) -> Clicked:
    """The click a ``block_actions`` payload carries: the first action's state."""
    action = (body.get("actions") or [{}])[0]
    selected = action.get("selected_option")
    state = selected.get("value") if isinstance(selected, dict) else action.get("value")
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Clicked(
        control=state if isinstance(state, str) else "",
        chosen=(),
        clicker=str((body.get("user") or {}).get("id") or ""),
        channel=str(channel.get("id") or container.get("channel_id") or ""),
    )


def click_payload(answer: ClickAnswer, clicker: str) -> dict[str, Any]:
    """The ``response_url`` post that shows ``answer``: in place, or to the clicker alone."""
    reply = answer.reply
    first = render(reply, max_messages=1, controls=control_blocks(reply, clicker))[0]
    if answer.in_place:
        return {**first, "replace_original": True}
    return {**first, "response_type": "ephemeral", "replace_original": False}


class SlackActions:
    """The listeners for the bot's controls; ``post`` sends to a ``response_url``,
    ``start`` runs a coroutine as a task the adapter waits for when it stops."""

    def __init__(self, dispatcher: Dispatcher, post: Post, start: Start) -> None:
        self._dispatcher = dispatcher
        self._post = post
        self._start = start

    def register(self, app: AsyncApp) -> None:
        app.action(ACTION_IDS)(self._on_action)

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        self._start(self._answer(body))

    async def _answer(self, body: dict[str, Any]) -> None:
        """The boundary: any failure is logged and answered with an apology."""
        url = str(body.get("response_url") or "")
        clicked = from_block_actions(body)
        try:
            answer = await answer_click(self._dispatcher, clicked, platform="slack")
            payload = click_payload(answer, clicked.clicker)
        except Exception:
            log.exception("slack: a click in %s failed", clicked.channel or "?")
            payload = click_payload(ClickAnswer(apology(), in_place=False), clicked.clicker)
        if not url:
            log.warning("slack: a click came without a response_url; not answered")
            return
        try:
            await self._post(url, [payload])
        except Exception:
            log.exception("slack: the answer to a click could not be sent")
