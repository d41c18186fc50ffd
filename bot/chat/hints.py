"""A reply's buttons and menus as text hints, for where there are no buttons (the console).

Each control becomes the command that does the same when typed, for example
``next: `/summary 4```; a section menu becomes ``open a section: `/summary <number>```;
"more answers" becomes ``more answers: `/summary more 3 <the question>``` (but for a
question with a link in it: a hint repeats nothing that could show as a link).
"""

from __future__ import annotations

from bot.chat.commands import Action, Click
from bot.chat.controls import controls_for
from bot.chat.echo import defang
from bot.chat.replies import Reply

__all__ = ["hints"]

_NAMES = {
    "Previous section": "previous",
    "Next section": "next",
    "Overview": "overview",
    "More answers": "more answers",
}


def hints(reply: Reply, *, menu_size: int = 1000) -> str:
    """One line of typed equivalents of ``reply``'s controls ("" when it has none)."""
    controls = controls_for(reply, "", menu_size=menu_size)
    shown = []
    for button in controls.buttons:
        command = _typed(button.click)
        if command:
            name = _NAMES.get(button.label, f"section {button.click.number}")
            shown.append(f"{name}: `{command}`")
    if controls.menu is not None and controls.menu.options:
        last = controls.menu.options[-1][0]
        shown.append(f"open a section: `/summary <number>` (1 to {last})")
    return " · ".join(shown)


def _typed(click: Click) -> str:
    match click.action:
        case Action.SECTION:
            return f"/summary {click.number}"
        case Action.OVERVIEW:
            return "/summary"
        case Action.MORE if defang(click.question) == click.question:
            return f"/summary more {click.number} {click.question}"
    return ""
