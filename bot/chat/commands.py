"""The command grammar, shared by every platform.

``/summary`` with no words is the whole article; ``sections`` lists them;
``help`` explains; a number or words from a section's title pick a section;
anything else is a question. The same words after an @mention or in a DM
mean the same: adapters pass the text in, with or without ``/summary``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from bot.errors import UserFacingError

__all__ = [
    "MAX_TEXT_CHARS",
    "Ask",
    "Command",
    "Help",
    "ListArticles",
    "ListSections",
    "LoadUrl",
    "Overview",
    "PickSection",
    "UseArticle",
    "clean_text",
    "needs_admin_check",
    "parse_command",
]

MAX_TEXT_CHARS = 1000

_PREFIX = re.compile(r"^\s*/?summary\b[:,]?\s*", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(?:(?:section|part|chapter|no\.?)\s*|#\s*)?([-+]?\d+)$", re.I)
_SPACE = re.compile(r"\s+")


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


Command = Overview | ListSections | Help | ListArticles | UseArticle | LoadUrl | PickSection | Ask

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
_USAGE = {
    "use": "Tell me which article: `/summary use <name>` (`/summary articles` lists them).",
    "load": "Tell me which page: `/summary load <url>`, for example "
    "`/summary load https://example.com/post`.",
}


def clean_text(text: str) -> str:
    """Printable, single-spaced text: control and invisible format characters go."""
    normalized = unicodedata.normalize("NFC", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in normalized
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return _SPACE.sub(" ", kept).strip()


def needs_admin_check(text: str) -> bool:
    """Whether answering ``text`` depends on the sender being an admin (``load``).

    Adapters ask this before spending a platform call on the sender's role.
    """
    try:
        return isinstance(parse_command(text), LoadUrl)
    except UserFacingError:
        return False


@functools.lru_cache(maxsize=1024)
def parse_command(text: str) -> Command:
    """Parse what someone typed (with or without ``/summary``) into a command.

    Commands are immutable, so the most recent ones are kept and shared: the
    same words typed again (or looked at twice on their way) are parsed once.
    """
    if len(text) > MAX_TEXT_CHARS * 4:
        raise UserFacingError(_too_long())
    words = _PREFIX.sub("", clean_text(text), count=1).strip()
    if len(words) > MAX_TEXT_CHARS:
        raise UserFacingError(_too_long())
    keyword = words.lower().rstrip("?!. ") if words != "?" else "?"
    if keyword in _KEYWORDS:
        return _KEYWORDS[keyword]
    verb, _, rest = words.partition(" ")
    if verb.lower() in _USAGE and not rest.strip():
        raise UserFacingError(_USAGE[verb.lower()])
    if verb.lower() == "use":
        return UseArticle(rest.strip())
    if verb.lower() == "load":
        return LoadUrl(rest.strip().strip("<>"))
    number = _SECTION_NUMBER.match(words)
    if number:
        return PickSection(words, _to_int(number.group(1)))
    return Ask(words)


def _to_int(digits: str) -> int:
    # Anything longer than a few digits is out of range anyway; keep it small.
    return int(digits) if len(digits.lstrip("+-")) <= 6 else (10**7 if digits[0] != "-" else -1)


def _too_long() -> str:
    return f"That is too long for me: please keep it under {MAX_TEXT_CHARS:,} characters."
