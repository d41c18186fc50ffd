"""Which buttons and menus a reply carries: the next steps from the part of an article it shows.

- a section: "previous section" and "next section" (the first and the last show
  only the one that applies) and "overview";
- the overview: a menu that opens any section; an article with more sections
  than a menu holds (``menu_size``: 100 on Slack, 25 on Discord) pages the menu,
  with buttons for the earlier and later sections;
- an answer: "more answers" (when the page was full) and a button per quoted
  section that opens it.

Each control carries a :class:`~bot.chat.commands.Click` made out to
``asker``, the person who will see it. The adapters render them and fit their
labels; nothing here knows a platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.commands import Action, Click
from bot.chat.control_ids import article_key, version_tag
from bot.chat.places import Place, View
from bot.chat.replies import Reply

__all__ = ["Button", "Controls", "Menu", "controls_for", "menu_pages"]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    click: Click


@dataclass(frozen=True, slots=True)
class Menu:
    """A section menu: ``click`` is its own (``PICK``), ``options`` (number, label) pairs."""

    placeholder: str
    click: Click
    options: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Controls:
    buttons: tuple[Button, ...] = ()
    menu: Menu | None = None

    def __bool__(self) -> bool:
        return bool(self.buttons) or self.menu is not None


def menu_pages(sections: int, menu_size: int) -> int:
    """How many pages a section menu of ``menu_size`` options takes for ``sections``."""
    return max(1, -(-sections // menu_size))


def controls_for(reply: Reply, asker: str, *, menu_size: int) -> Controls:
    """The controls ``reply`` carries for ``asker`` (none when it shows no part of an article)."""
    place = reply.place
    if place is None:
        return Controls()
    match place.view:
        case View.SECTION:
            return Controls(_section_buttons(place, asker))
        case View.OVERVIEW:
            return _overview(place, asker, menu_size)
        case View.ANSWER:
            return Controls(_answer_buttons(reply, place, asker))
    return Controls()  # pragma: no cover


def _click(place: Place, asker: str, action: Action, number: int, question: str = "") -> Click:
    key = article_key(place.article)
    return Click(action, key, version_tag(place.version), number, asker, question)


def _section_buttons(place: Place, asker: str) -> tuple[Button, ...]:
    buttons = []
    if place.number > 1:
        buttons.append(
            Button("Previous section", _click(place, asker, Action.SECTION, place.number - 1))
        )
    if place.number < place.sections:
        buttons.append(
            Button("Next section", _click(place, asker, Action.SECTION, place.number + 1))
        )
    buttons.append(Button("Overview", _click(place, asker, Action.OVERVIEW, 0)))
    return tuple(buttons)


def _overview(place: Place, asker: str, menu_size: int) -> Controls:
    pages = menu_pages(place.sections, menu_size)
    page = min(max(place.number, 0), pages - 1)
    first = page * menu_size + 1
    last = min(place.sections, first + menu_size - 1)
    options = tuple((n, _title(place, n)) for n in range(first, last + 1))
    buttons = []
    if page > 0:
        label = f"Sections {first - menu_size}-{first - 1}"
        buttons.append(Button(label, _click(place, asker, Action.OVERVIEW, page - 1)))
    if page < pages - 1:
        label = f"Sections {last + 1}-{min(place.sections, last + menu_size)}"
        buttons.append(Button(label, _click(place, asker, Action.OVERVIEW, page + 1)))
    placeholder = "Open a section" if pages == 1 else f"Open a section ({first}-{last})"
    menu = Menu(placeholder, _click(place, asker, Action.PICK, page), options)
    return Controls(tuple(buttons), menu if options else None)


def _answer_buttons(reply: Reply, place: Place, asker: str) -> tuple[Button, ...]:
    buttons = []
    if place.full:
        more = _click(place, asker, Action.MORE, place.number + _quote_count(reply), place.question)
        buttons.append(Button("More answers", more))
    seen: set[int] = set()
    for block in reply.blocks:
        for quote in block.quotes:
            if quote.section not in seen:
                seen.add(quote.section)
                label = f"Open {quote.section}. {quote.section_title}"
                buttons.append(Button(label, _click(place, asker, Action.SECTION, quote.section)))
    return tuple(buttons)


def _quote_count(reply: Reply) -> int:
    return sum(len(block.quotes) for block in reply.blocks)


def _title(place: Place, number: int) -> str:
    title = place.titles[number - 1] if number <= len(place.titles) else ""
    return f"{number}. {title}" if title else f"Section {number}"
