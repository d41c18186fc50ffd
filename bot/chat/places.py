"""Where a reply stands in an article: what its buttons and menus can lead to.

A :class:`Place` rides on a :class:`~bot.chat.replies.Reply` that shows part of
an article (its overview, one section, or answers to a question), so the
adapters can offer the next steps (:mod:`bot.chat.controls`) without reading the
reply's text back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Place", "View"]


class View(StrEnum):
    OVERVIEW = "overview"
    SECTION = "section"
    ANSWER = "answer"


@dataclass(frozen=True, slots=True)
class Place:
    """The article (name and version) and the view of it that a reply shows.

    ``number`` is the section shown (``SECTION``), the page of the overview's
    section menu (``OVERVIEW``) or how many answers came before this reply's
    first (``ANSWER``). ``full`` says an answer page was full, so more may follow.
    """

    article: str
    version: str
    view: View
    sections: int
    number: int = 0
    question: str = ""
    full: bool = False
    titles: tuple[str, ...] = ()
