"""What kind of answer a question asks for, and which words of a sentence could be one.

"When ...?" wants a date, "how many ...?" a number, "who ...?" a name. A
sentence that holds a word of the kind asked for, one the question does not
already name, is more likely the answer than one that only repeats the
question's words. Kinds are read from English question words; other
languages get no kind (and search ranks by words alone).
"""

from __future__ import annotations

import re
from enum import IntFlag
from typing import Final

__all__ = ["AnswerKind", "asked_kind", "word_kind"]


class AnswerKind(IntFlag):
    NONE = 0
    NUMBER = 1
    DATE = 2
    NAME = 4


_DATE_NOUNS: Final = "year|years|date|day|month|century|decade|era|period|season|time"
_NUMBER_NOUNS: Final = (
    "percentage|percent|number|amount|proportion|share|size|population|age|rate|cost|price|"
    "temperature|speed|distance|length|height|weight|fraction|total|score|sum|value"
)
_NAME_NOUNS: Final = (
    "team|company|firm|city|country|state|nation|province|university|college|school|river|"
    "town|village|stadium|network|player|person|man|woman|king|queen|emperor|president|band|"
    "organization|organisation|league|region|language|newspaper|station|club|church|"
    "dynasty|family|brand|airport|island|mountain|continent|channel|party|leader|author|artist"
)
# "what", "which" or "whose", then maybe "is/was the" and up to two words before the
# noun that names the kind ("what was the final score", "in which year"); a verb such
# as "did" ends the noun phrase ("what did the team do" asks no kind).
_WHAT: Final = (
    r"\b(?:what|which|whose)\s+(?:(?:is|was|are|were)\s+)?"
    r"(?:(?:the|a|an|his|her|its|their)\s+)?"
    r"(?:(?!(?:did|does|do|has|have|had|is|was|are|were|can|could|will|would|of|the)\b)"
    r"\w+\s+){0,2}"
)
_ASKED: Final = {
    "english": (
        (
            AnswerKind.DATE,
            re.compile(
                rf"\bwhen\b|{_WHAT}(?:{_DATE_NOUNS})\b"
                r"|\bhow\s+long\s+ago\b|\bsince\s+when\b"
            ),
        ),
        (
            AnswerKind.NUMBER,
            re.compile(
                r"\bhow\s+(?:many|much|long|far|old|large|big|tall|high|often|fast|wide|deep|"
                rf"heavy|few)\b|{_WHAT}(?:{_NUMBER_NOUNS})\b"
            ),
        ),
        (
            AnswerKind.NAME,
            re.compile(
                rf"\bwho(?:m|se)?\b|\bwhere\b|{_WHAT}(?:{_NAME_NOUNS})s?\b"
                r"|\bname\b|\bcalled\b"
            ),
        ),
    ),
}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER_WORDS: Final = _word_set(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion
    dozen dozens half once twice"""
)
_DATE_WORDS: Final = _word_set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday century centuries decade decades"""
)
_YEAR: Final = re.compile(r"(?:1[0-9]{3}|20[0-9]{2})s?|[0-9]0s|'[0-9]0s")
_ORDINAL: Final = re.compile(r"[0-9]+(?:st|nd|rd|th)")
_DIGIT: Final = re.compile(r"[0-9]")


def asked_kind(question: str, language: str = "english") -> AnswerKind:
    """The kind of answer ``question`` asks for (``NONE`` when its words do not say)."""
    lowered = question.lower()
    for kind, pattern in _ASKED.get(language, ()):
        if pattern.search(lowered):
            return kind
    return AnswerKind.NONE


def word_kind(token: str, *, is_name: bool, language: str = "english") -> AnswerKind:
    """The kinds of answer that ``token`` (as written in the text) can be.

    ``is_name`` says the text writes the word only as a name (never in lower case).
    """
    lowered = token.lower().strip("$%.,")
    if not lowered.isalpha() and _DIGIT.search(lowered):
        if _YEAR.fullmatch(lowered):
            return AnswerKind.DATE
        if _ORDINAL.fullmatch(lowered):
            return AnswerKind.NUMBER | AnswerKind.DATE
        return AnswerKind.NUMBER
    if language != "english":
        return AnswerKind.NAME if is_name else AnswerKind.NONE
    if lowered in _DATE_WORDS:
        return AnswerKind.DATE
    if lowered in _NUMBER_WORDS:
        return AnswerKind.NUMBER
    return AnswerKind.NAME if is_name else AnswerKind.NONE
