"""Clicks on buttons and menus, for every chat adapter: through the dispatcher to the core.

A platform adapter turns a click into a :class:`Clicked` (the control's id, a
menu's chosen values, who clicked and where) and gets back a
:class:`ClickAnswer`: the reply, and whether it replaces the clicked message
(the clicker is the person the controls were made for) or goes to the clicker
alone (anyone else, and every error), so nobody's reading is pulled away under
them. :func:`answer_click` is the one place a click reaches the core, through
the :class:`~adapters.dispatch.Dispatcher` (rate limit, state store, worker pool).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from adapters.dispatch import Dispatcher
from bot.chat import clicks
from bot.chat.control_ids import BadControl, read_control
from bot.chat.replies import Kind, Reply
from bot.chat.routing import Message

__all__ = ["ClickAnswer", "Clicked", "answer_click"]

#: Menu values read at most (Slack and Discord send one for a single-choice menu).
MAX_CHOSEN = 25


@dataclass(frozen=True, slots=True)
class Clicked:
    """A click as a platform delivered it."""

    control: str
    chosen: tuple[str, ...]
    clicker: str
    channel: str


@dataclass(frozen=True, slots=True)
class ClickAnswer:
    reply: Reply
    #: Replace the clicked message (True), or answer the clicker alone (False).
    in_place: bool


async def answer_click(dispatcher: Dispatcher, clicked: Clicked, *, platform: str) -> ClickAnswer:
    """The answer to ``clicked``, from the core through ``dispatcher``."""
    message = Message(text="(click)", channel=clicked.channel, user=clicked.clicker)
    work = functools.partial(
        clicks.answer_click, clicked.control, clicked.chosen[:MAX_CHOSEN], clicked.channel
    )
    reply = await dispatcher.answer_with(message, work, platform=platform)
    return ClickAnswer(reply, reply.kind is not Kind.ERROR and _asked_by(clicked))


def _asked_by(clicked: Clicked) -> bool:
    """Whether the controls clicked were made for the clicker."""
    try:
        return read_control(clicked.control, clicked.chosen[:MAX_CHOSEN]).asker == clicked.clicker
    except BadControl:
        return False
