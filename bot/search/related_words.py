"""English words that say nearly the same thing, for questions worded unlike the text.

A question asks "who worries about losing their jobs" of a text that says
"fears that AI could displace traditional roles". Each group below is a set
of common words a writer may use for one another; a question's word also
finds the others of its group, at half its weight. English only.
"""

from __future__ import annotations

from typing import Final

__all__ = ["RELATED_WEIGHT", "related_groups"]

#: What a related word counts for, beside the question's own word.
RELATED_WEIGHT: Final = 0.5

_GROUPS: Final = """
worry fear concern anxiety afraid | job work role employment career occupation profession |
lose displace replace eliminate | revenue income earnings profit | buy purchase acquire |
begin start launch commence | end finish conclude | big large huge vast | small little tiny |
build construct erect | die death dead | win victory triumph | famous renowned notable |
help assist aid | make create produce | rule govern reign | fight battle war conflict |
leader head chief | ask request | choose select pick | important significant major |
quick fast rapid | old ancient elderly | idea concept notion | problem issue difficulty |
rich wealthy | goal aim objective purpose | pay salary wage | film movie | city town |
"""


def related_groups(language: str) -> list[list[str]]:
    """The groups of related words of ``language`` (none for languages other than English)."""
    if language != "english":
        return []
    return [group.split() for group in _GROUPS.split("|") if group.split()]
