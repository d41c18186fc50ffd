"""How summaries and answers are made: the options every article is prepared with."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.summaries.summarizer import DEFAULT_ALGORITHM, SummaryLength, check_algorithm

__all__ = ["OVERVIEW_SECTIONS", "OVERVIEW_WORDS", "Options"]

#: Words in an overview (``OVERVIEW_WORDS``): about what a reader takes in at a glance.
OVERVIEW_WORDS = 150
#: Sections an overview shows (the others are listed by ``/summary sections``).
OVERVIEW_SECTIONS = 25


@dataclass(frozen=True, slots=True)
class Options:
    """How summaries and answers are made; read from settings by the adapters."""

    algorithm: str = DEFAULT_ALGORITHM
    length: SummaryLength = field(default_factory=lambda: SummaryLength(3))
    answers: int = 3
    #: The overview's word budget (``coverage`` only).
    overview_words: int = OVERVIEW_WORDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "algorithm", check_algorithm(self.algorithm))
        if self.overview_words < 1:
            raise ValueError(f"overview_words must be at least 1, not {self.overview_words}")
