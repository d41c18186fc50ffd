"""The command grammar, shared by every platform.

``/summary`` with no words is the whole article; ``sections`` lists them;
``help`` explains; a number or words from a section's title pick a section;
anything else is a question. The same words after an @mention or in a DM
mean the same: adapters read the text once, with or without ``/summary``,
with :func:`read_command`, and pass the command on. A click on one of the
bot's buttons or menus is a :class:`Click`, read from the control's id by
:func:`bot.chat.control_ids.read_click`.

:func:`read_command` never raises: a mistake in what someone typed (too long,
``use`` or ``load`` with nothing after) is an :class:`Invalid` command whose
note the core answers with.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.chat.notices import LOAD_USAGE, USE_USAGE, too_long

__all__ = [
    "MAX_TEXT_CHARS",
    "Action",
    "Ask",
    "Click",
    "Command",
    "Help",
    "Invalid",
    "ListArticles",
    "ListSections",
    "LoadUrl",
    "MoreAnswers",
    "Overview",
    "PickSection",
    "UseArticle",
    "clean_text",
    "needs_admin",
    "read_command",
]

MAX_TEXT_CHARS = 1000

_PREFIX = re.compile(r"^\s*/?summary\b[:,]?\s*", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(?:(?:section|part|chapter|no\.?)\s*|#\s*)?([-+]?\d+)$", re.I)
_SPACE = re.compile(r"\s+")
_MORE = re.compile(r"^more\s+(\d{1,4})\s+(\S.*)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Overview:
    pass


@dataclass(frozen=True, slots=True)
class ListSections:
    pass


@dataclass(frozen=True, slots=True)
class Help:
    pass


@dataclass(frozen=True, slots=True)
class ListArticles:
    pass


@dataclass(frozen=True, slots=True)
class UseArticle:
    name: str


@dataclass(frozen=True, slots=True)
class LoadUrl:
    url: str


@dataclass(frozen=True, slots=True)
class PickSection:
    """A section by number (``number``) or by words of its title (``words``)."""

    words: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    """Either a section's title words or a question; the router decides."""

    words: str


@dataclass(frozen=True, slots=True)
class MoreAnswers:
    """``more 3 <question>``: the answers to ``words`` after the first ``shown`` (what the
    "more answers" button does, typed)."""

    words: str
    shown: int


@dataclass(frozen=True, slots=True)
class Invalid:
    """Something typed that is no command; ``note`` tells the asker what to type instead."""

    note: str


class Action(StrEnum):
    """What a click asks for (the letter its control's id carries)."""

    SECTION = "s"
    OVERVIEW = "o"
    MORE = "m"
    PICK = "p"


@dataclass(frozen=True, slots=True)
class Click:
    """A click on a button or a menu: the state its control carries.

    ``article`` is the article's key (its name, or a hash of a long one),
    ``version`` the article's version when the control was made, ``asker`` the
    person the control was made for. ``number`` is the section to show
    (``SECTION``), the overview's menu page (``OVERVIEW``) or how many answers
    to ``question`` were shown before (``MORE``). A section menu's click
    (``PICK``) is read as the ``SECTION`` its chosen option names.
    """

    action: Action
    article: str
    version: str
    number: int
    asker: str
    question: str = ""


Command = (
    Overview
    | ListSections
    | Help
    | ListArticles
    | UseArticle
    | LoadUrl
    | PickSection
    | Ask
    | MoreAnswers
    | Click
    | Invalid
)

_KEYWORDS: dict[str, Command] = {
    "": Overview(),
    "all": Overview(),
    "sections": ListSections(),
    "toc": ListSections(),
    "contents": ListSections(),
    "help": Help(),
    "?": Help(),
    "articles": ListArticles(),
}


#: What ``use`` and ``load`` with nothing after them answer.
_USAGE = {"use": USE_USAGE, "load": LOAD_USAGE}


def clean_text(text: str) -> str:
    """Printable, single-spaced text: control and invisible format characters go."""
    normalized = unicodedata.normalize("NFC", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in normalized
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return _SPACE.sub(" ", kept).strip()


def needs_admin(command: Command) -> bool:
    """Whether answering ``command`` depends on the sender being an admin (``load``).

    Adapters ask this before spending a platform call on the sender's role.
    """
    return isinstance(command, LoadUrl)


def read_command(text: str) -> Command:
    """What someone typed (with or without ``/summary``), as a command; never raises."""
    if len(text) > MAX_TEXT_CHARS * 4:
        return Invalid(too_long(MAX_TEXT_CHARS))
    words = _PREFIX.sub("", clean_text(text), count=1).strip()
    if len(words) > MAX_TEXT_CHARS:
        return Invalid(too_long(MAX_TEXT_CHARS))
    keyword = words.lower().rstrip("?!. ") if words != "?" else "?"
    if keyword in _KEYWORDS:
        return _KEYWORDS[keyword]
    verb, _, rest = words.partition(" ")
    if verb.lower() in _USAGE and not rest.strip():
        return Invalid(_USAGE[verb.lower()])
    if verb.lower() == "use":
        return UseArticle(rest.strip())
    if verb.lower() == "load":
        return LoadUrl(rest.strip().strip("<>"))
    more = _MORE.match(words)
    if more:
        return MoreAnswers(more.group(2), int(more.group(1)))
    number = _SECTION_NUMBER.match(words)
    if number:
        return PickSection(words, _to_int(number.group(1)))
    return Ask(words)


def _to_int(digits: str) -> int:
    # Anything longer than a few digits is out of range anyway; keep it small.
    return int(digits) if len(digits.lstrip("+-")) <= 6 else (10**7 if digits[0] != "-" else -1)
