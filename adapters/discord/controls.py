"""A reply's buttons and menus as Discord action rows, within Discord's limits.

Discord takes 5 action rows a message, 5 buttons a row or one select, 25
options a select, 80-character button labels, 100-character option labels and
values, 150-character placeholders and 100-character, unique ``custom_id``s.
Labels are cut to fit; a control whose state does not fit its ``custom_id``
is left out, but for "more answers" on a long question: its id then carries a
digest of the question (:func:`~bot.chat.control_ids.question_digest`), which a
click reads back from the answer's embed title, when the title shows the
question whole. Labels never ping anyone (Discord does not read them as mentions).

A button's ``custom_id`` is its state (:mod:`bot.chat.control_ids`); a section
menu's ``custom_id`` is the menu's state and each option's value a section number.
:func:`rows_of` hands a rendered message's rows to discord.py as a ``view=``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import discord

from adapters.discord.render import MAX_TITLE, DiscordMessage, escape
from adapters.rendering import flat, shorten_plain
from bot.chat.commands import Action, Click
from bot.chat.control_ids import question_digest, write_control
from bot.chat.controls import Menu, controls_for
from bot.chat.replies import Reply
from bot.chat.views import asked_in

__all__ = ["MENU_SIZE", "Rows", "control_rows", "rows_of"]

MAX_ROWS = 5
ROW_BUTTONS = 5
MENU_SIZE = 25
MAX_LABEL = 80
MAX_OPTION_LABEL = 100
MAX_PLACEHOLDER = 150
MAX_CUSTOM_ID = 100
ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3
PRIMARY, SECONDARY = 1, 2


def control_rows(reply: Reply, asker: str) -> list[dict[str, Any]]:
    """The action rows for ``reply``'s controls, made out to ``asker`` (none: no rows)."""
    controls = controls_for(reply, asker, menu_size=MENU_SIZE)
    rows = []
    if controls.menu is not None and (menu := _menu(controls.menu)) is not None:
        rows.append(_row([menu]))
    buttons = []
    for button in controls.buttons:
        custom_id = _custom_id(button.click, reply)
        if custom_id is not None:
            label = shorten_plain(flat(button.label), MAX_LABEL) or "…"
            buttons.append(
                {"type": BUTTON, "style": SECONDARY, "label": label, "custom_id": custom_id}
            )
    for start in range(0, len(buttons), ROW_BUTTONS):
        rows.append(_row(buttons[start : start + ROW_BUTTONS]))
    return rows[:MAX_ROWS]


def _custom_id(click: Click, reply: Reply) -> str | None:
    """The id that carries ``click`` within Discord's 100 characters, if one does."""
    custom_id = write_control(click)
    if len(custom_id) <= MAX_CUSTOM_ID:
        return custom_id
    if click.action is Action.MORE and _shows_whole(reply, click.question):
        short = write_control(replace(click, question=question_digest(click.question)))
        return short if len(short) <= MAX_CUSTOM_ID else None
    return None


def _shows_whole(reply: Reply, question: str) -> bool:
    """Whether the answer's embed title shows ``question`` whole, to be read back."""
    headings = [block.heading for block in reply.blocks if block.heading]
    if not headings or asked_in(headings[0]) != question:  # e.g. a link in it, defanged
        return False
    return len(escape(flat(headings[0]))) <= MAX_TITLE


def _menu(menu: Menu) -> dict[str, Any] | None:
    custom_id = write_control(menu.click)
    if len(custom_id) > MAX_CUSTOM_ID or not menu.options:
        return None
    options = [
        {"label": shorten_plain(flat(label), MAX_OPTION_LABEL) or "…", "value": str(number)}
        for number, label in menu.options[:MENU_SIZE]
    ]
    placeholder = shorten_plain(flat(menu.placeholder), MAX_PLACEHOLDER)
    return {
        "type": STRING_SELECT,
        "custom_id": custom_id,
        "placeholder": placeholder,
        "options": options,
    }


def _row(components: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": ACTION_ROW, "components": components}


class Rows(discord.ui.View):
    """Action rows already rendered, for discord.py's ``view=``. Their clicks are answered
    from their ids (:mod:`adapters.discord.components`), so discord.py keeps no view."""

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
