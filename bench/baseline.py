"""What a user would otherwise run: sumy's LexRank called directly, section by section.

Imported only by the benchmark (it imports sumy and so NLTK).  The sections
are the bot's own (same sentences), handed to sumy as its document model
with the same stemmer, stop words and length.
"""

from __future__ import annotations

import warnings
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.text.document import Section
from bot.text.tokenizer import Tokenizer

__all__ = ["sumy_lexrank", "sumy_pick"]


def sumy_lexrank(language: str = "english") -> Any:
    summarizer = LexRankSummarizer(Stemmer(language))
    summarizer.stop_words = get_stop_words(language)
    return summarizer


def sumy_pick(
    summarizer: Any, section: Section, tokenizer: Tokenizer, count: int
) -> tuple[int, ...]:
    """sumy's pick of ``count`` sentences of ``section``, as indexes in document order."""
    paragraphs = [[SumySentence(text, tokenizer) for text in texts] for texts in section.paragraphs]
    originals = [sentence for paragraph in paragraphs for sentence in paragraph]
    if count >= len(originals):
        return tuple(range(len(originals)))
    document = ObjectDocumentModel([Paragraph(paragraph) for paragraph in paragraphs])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # sumy's NaN on edgeless sections
        picked = summarizer(document, count)
    position = {id(sentence): index for index, sentence in enumerate(originals)}
    return tuple(sorted(position[id(sentence)] for sentence in picked))
