"""Clicks on buttons and menus, for every chat adapter: a click in, a command and a request out.

A platform adapter turns a click into a :class:`Clicked` (the control's id, a
menu's chosen values, who clicked and where); :func:`read_clicked` reads it
once into the :class:`~bot.chat.commands.Click` command (or an
:class:`~bot.chat.commands.Invalid` one, for an id the bot did not make) and
its :class:`~bot.chat.requests.Request`, which the adapter hands to
:meth:`~adapters.dispatch.Dispatcher.serve` like any typed command (rate limit,
state store, answer-now-or-worker and the fault boundary are the dispatcher's).
``in_place`` says whether the reply may replace the clicked message: only when
the clicker is the person the controls were made for; anyone else is answered
alone, so nobody's reading is pulled away under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.clicks import is_askers
from bot.chat.commands import Command
from bot.chat.control_ids import read_click
from bot.chat.replies import Reply
from bot.chat.requests import Request

__all__ = ["Clicked", "IncomingClick", "read_clicked"]


@dataclass(frozen=True, slots=True)
class Clicked:
    """A click as a platform delivered it (the id and values unchecked: anything may come)."""

    control: object
    chosen: tuple[object, ...]
    clicker: str
    channel: str
    #: The question the clicked message shows (Discord's "more answers" on a long question).
    asked: str = ""


@dataclass(frozen=True, slots=True)
class IncomingClick:
    """A click's command for the core, who clicked where, and whether it is the asker's."""

    command: Command
    request: Request
    askers: bool

    def in_place(self, reply: Reply) -> bool:
        """Whether ``reply`` replaces the clicked message (else only the clicker sees it)."""
        return self.askers and not reply.private


def read_clicked(clicked: Clicked, platform: str) -> IncomingClick:
    """``clicked`` read once into a command and a request, on ``platform``."""
    request = Request(channel=clicked.channel, user=clicked.clicker, platform=platform)
    command = read_click(clicked.control, clicked.chosen, asked=clicked.asked)
    return IncomingClick(command, request, is_askers(command, request))
