"""A reply's buttons and menus as a Block Kit ``actions`` block, within Slack's limits.

Slack takes 25 elements in an actions block, 75 characters of button and option
text, 100 options in a ``static_select``, a 150-character placeholder, 255-character
``action_id``s, 2,000-character button values and 150-character option values.
Labels are cut to fit; a control whose state does not fit its value is left out.
Button and option text is ``plain_text``, which Slack never reads as a mention.

Every element's ``action_id`` starts with ``sb1-`` (:data:`ACTION_IDS` matches
them); the state is the value (a button's ``value``, an option's ``value``).
"""

from __future__ import annotations

import re
from typing import Any

from adapters.rendering import flat, shorten_plain
from bot.chat.commands import Action, Click
from bot.chat.control_ids import write_control
from bot.chat.controls import Menu, controls_for
from bot.chat.replies import Reply

__all__ = ["ACTION_IDS", "MENU_SIZE", "control_blocks"]

MAX_ELEMENTS = 25
MAX_TEXT = 75
MENU_SIZE = 100
MAX_PLACEHOLDER = 150
MAX_VALUE = 2000
MAX_OPTION_VALUE = 150
ACTION_IDS = re.compile(r"^sb1-")
BLOCK_ID = "sb1-controls"


def control_blocks(reply: Reply, asker: str) -> list[dict[str, Any]]:
    """The actions block for ``reply``'s controls, made out to ``asker`` (none: no block)."""
    controls = controls_for(reply, asker, menu_size=MENU_SIZE)
    elements = []
    for number, button in enumerate(controls.buttons):
        value = write_control(button.click)
        if len(value) <= MAX_VALUE:
            elements.append(
                {
                    "type": "button",
                    "text": _plain(button.label, MAX_TEXT),
                    "action_id": f"sb1-button-{number}",
                    "value": value,
                }
            )
    if controls.menu is not None and (menu := _menu(controls.menu)) is not None:
        elements.insert(0, menu)
    if not elements:
        return []
    return [{"type": "actions", "block_id": BLOCK_ID, "elements": elements[:MAX_ELEMENTS]}]


def _menu(menu: Menu) -> dict[str, Any] | None:
    options = []
    for number, label in menu.options[:MENU_SIZE]:
        value = write_control(_opening(menu.click, number))
        if len(value) <= MAX_OPTION_VALUE:
            options.append({"text": _plain(label, MAX_TEXT), "value": value})
    if not options:
        return None
    return {
        "type": "static_select",
        "action_id": "sb1-menu",
        "placeholder": _plain(menu.placeholder, MAX_PLACEHOLDER),
        "options": options,
    }


def _opening(menu: Click, number: int) -> Click:
    """The click an option of a section menu carries: open section ``number``."""
    return Click(Action.SECTION, menu.article, menu.version, number, menu.asker)


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": shorten_plain(flat(text), limit) or "…"}
