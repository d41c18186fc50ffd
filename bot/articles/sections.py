"""The one rule for naming a section: by number, by slug or title, or by title words.

``/summary 2`` and ``/summary labor`` pick a section with :func:`section_by_number`
and :func:`match_section`; autocomplete offers :func:`named_sections`, whose
first choice is the section :func:`match_section` would pick for the same text.
Both take anything with a ``document`` and the ``terms`` its titles are matched
with: a prepared article, or one not prepared yet.
"""

from __future__ import annotations

from typing import Protocol

from bot.errors import UserFacingError
from bot.search.terms import Terms
from bot.text.document import Document, Section
from bot.text.intro import is_intro_word

__all__ = ["Titled", "match_section", "named_sections", "section_by_number"]


class Titled(Protocol):
    """An article whose sections can be named: its document and its terms."""

    @property
    def document(self) -> Document: ...

    @property
    def terms(self) -> Terms: ...


def match_section(article: Titled, words: str) -> Section | None:
    """The one section whose title contains all of ``words``' content words."""
    document = article.document
    lowered = words.lower().strip(" ?!.")
    if is_intro_word(lowered) and document.sections[0].untitled:
        return document.sections[0]
    for section in document.sections:
        if lowered in {section.slug, section.title.lower()}:
            return section
    stems = set(article.terms.of(words))
    if not stems:
        return None
    candidates = [s for s in document.sections if stems <= set(article.terms.of(s.title))]
    return candidates[0] if len(candidates) == 1 else None


def section_by_number(article: Titled, number: int) -> Section:
    """Section ``number``; a :class:`UserFacingError` says which numbers there are."""
    count = len(article.document.sections)
    if 1 <= number <= count:
        return article.document.section(number)
    shown = str(number) if abs(number) < 10**6 else "that big"
    raise UserFacingError(
        f"There is no section {shown}: this article has sections 1 to {count}. "
        "Try `/summary sections`."
    )


def named_sections(article: Titled, typed: str) -> tuple[Section, ...]:
    """The sections ``typed`` (text still being typed) may name, best first.

    First the section :func:`match_section` picks for it, then those whose number
    starts with the text or whose title does, then those whose title has every
    typed word (or all its content words' stems).
    """
    wanted = typed.strip().lower()
    words = wanted.split()
    sections = article.document.sections
    picked = match_section(article, typed) if wanted else None
    stems = set(article.terms.of(typed)) if wanted else set()
    starts = [s for s in sections if s.title.lower().startswith(wanted) or _number(s, wanted)]
    contains = [
        s
        for s in sections
        if all(word in s.title.lower() for word in words)
        or (stems and stems <= set(article.terms.of(s.title)))
    ]
    named = [*([picked] if picked is not None else []), *starts, *contains]
    return tuple({section.number: section for section in named}.values())


def _number(section: Section, typed: str) -> bool:
    return bool(typed) and str(section.number).startswith(typed.lstrip("#"))
