"""Search over an article's sentences: BM25 with the paragraph as context, and answer kinds.

Words come from :mod:`bot.search.words` (numbers, hyphen parts, acronyms and
names kept; stems otherwise; stop words left out). A sentence's score for a
question adds three parts, each between 0 and 1:

- the sentence's Okapi BM25, divided by the best sentence's (or by what a
  sentence holding every word of the question would score, when that is more);
- ``PARAGRAPH_WEIGHT`` x its paragraph's BM25 (paragraphs scored as
  documents of their own), divided the same way: a sentence that answers
  with "he" or "the event" is found through the words around it;
- ``KIND_WEIGHT`` when the question asks for a kind of answer (a date, a
  number, a name: :mod:`bot.search.answer_kinds`) and the sentence holds a word of
  that kind that neither the question nor the article's title names.

A word of the article's title counts half (``TITLE_WEIGHT``): the title
says what every sentence is about, named or not. A question's word also
finds the words of its group in :mod:`bot.search.related_words`, at half weight.

A word the article writes only with a capital (a name) is not stemmed past
a plural: ``Manning`` is ``manning``, so ``man`` does not find it.

The index is built once per document, with numpy over the whole text: each
term's postings (sentences or paragraphs, and their BM25 parts) are arrays,
so a question is a few vectorised sums whatever the document's size.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.search.answer_kinds import AnswerKind, asked_kind, word_kind
from bot.search.postings import Postings
from bot.search.related_words import RELATED_WEIGHT
from bot.search.terms import Terms
from bot.search.words import TOKEN, SearchWords, is_name_like
from bot.text.chunks import Chunks, sentence_chunks
from bot.text.document import Document, Sentence

__all__ = ["KIND_WEIGHT", "PARAGRAPH_WEIGHT", "TITLE_WEIGHT", "Hit", "SearchIndex", "Terms"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: How much a sentence's paragraph counts beside the sentence (both scaled to at most 1).
PARAGRAPH_WEIGHT: Final = 0.6
#: What a word of the article's title counts for in a question: the title says what
#: every sentence is about, so a sentence need not repeat it ("Tesla" of "he").
TITLE_WEIGHT: Final = 0.5
#: What holding a word of the kind asked for (not named in the question) adds.
KIND_WEIGHT: Final = 0.3
_VARIANT_LETTERS: Final = 5
#: Bits of an index entry that hold its word's kind of answer (the term above them).
_KIND_BITS: Final = max(AnswerKind).bit_length()
_NOT_WORD: Final = re.compile(r"\W+")
_POSSESSIVE: Final = re.compile(r"['’]s$", re.IGNORECASE)
_SECTION: Final = attrgetter("section")
_PARAGRAPH: Final = attrgetter("paragraph")


@dataclass(frozen=True, slots=True)
class Hit:
    """A matching sentence, its score, and the terms it matched."""

    sentence: Sentence
    score: float
    matched: frozenset[str]


class SearchIndex:
    """A document's sentences, indexed for questions (see the module's description)."""

    def __init__(self, document: Document, terms: Terms, chunks: Chunks | None = None) -> None:
        self.document = document
        self.terms = terms
        words = terms.words
        sentences = document.sentences
        total = len(sentences)
        if chunks is None:
            chunks = sentence_chunks(document)
        split = [words.chunk_tokens(chunk) for chunk in chunks.surfaces]
        distinct = list(dict.fromkeys(t for tokens in split for t in tokens))
        self._names = _names(distinct, words)
        vocabulary: dict[str, int] = {}
        language = terms.language
        # Per distinct token: its terms, each as term << _KIND_BITS | the kind of answer
        # the token can be (with its first term only; 0 when none).
        token_terms: dict[str, list[int]] = {}
        for token in distinct:
            name = self._names.get(_name_key(token, words)) if is_name_like(token) else None
            named = (name,) if name is not None else words.terms(token)
            ids = [vocabulary.setdefault(t, len(vocabulary)) << _KIND_BITS for t in named]
            if ids:
                ids[0] |= int(word_kind(token, is_name=name is not None, language=language))
            token_terms[token] = ids
        # The same per distinct chunk.
        chunk_terms = [
            token_terms[tokens[0]]
            if len(tokens) == 1
            else [i for token in tokens for i in token_terms[token]]
            for tokens in split
        ]
        packed, term_sentence = chunks.expand(chunk_terms)
        del chunk_terms, split, token_terms
        term_ids = packed >> _KIND_BITS
        packed &= (1 << _KIND_BITS) - 1  # the kinds
        answers = np.flatnonzero(packed)
        self._kinds = packed[answers]
        del packed  # (the temporary arrays of a long document are large: freed as soon as read)
        self._kind_term = term_ids[answers]
        self._kind_sentence = term_sentence[answers]
        keys = np.fromiter(map(_SECTION, sentences), np.int64, total) * (1 << 32)
        keys += np.fromiter(map(_PARAGRAPH, sentences), np.int64, total)
        _, paragraph = np.unique(keys, return_inverse=True)
        del keys
        self._paragraph = paragraph.astype(np.int64).reshape(-1)
        paragraphs = self._paragraph_count = int(self._paragraph.max()) + 1 if total else 0
        self._vocabulary = vocabulary
        self._sentences = Postings.build(term_ids, term_sentence, total, len(vocabulary))
        term_paragraph = self._paragraph[term_sentence]
        del term_sentence
        self._paragraphs = Postings.build(term_ids, term_paragraph, paragraphs, len(vocabulary))
        self._total = total
        self._sorted = sorted(vocabulary)
        #: The title's terms: what every sentence is about, named or not.
        self._topic = frozenset(self.query_terms(document.title))
        self._topic_ids = np.array(
            sorted(vocabulary[t] for t in self._topic if t in vocabulary), dtype=np.int64
        )

    def __repr__(self) -> str:
        return f"SearchIndex({self.document.title!r}, {len(self._vocabulary)} terms)"

    def query_terms(self, text: str) -> list[str]:
        """The terms of ``text`` as this document's index spells them (names kept whole)."""
        found: list[str] = []
        for token in TOKEN.findall(text):
            name = self._names.get(_name_key(token, self.terms.words))
            found.extend((name,) if name is not None else self.terms.words.terms(token))
        return found

    def _variants(self, term: str) -> list[str]:
        """Terms of the article that differ from ``term`` (not one of them) by an ending.

        The stemmer leaves some words of one family apart ("classif" and
        "classifi"): a term the article lacks finds the article's terms that
        are it plus or minus up to two letters at the end.
        """
        if term in self._vocabulary or len(term) < _VARIANT_LETTERS or not term.isalpha():
            return []
        found = [term[:cut] for cut in range(len(term) - 2, len(term)) if cut >= _VARIANT_LETTERS]
        at = bisect.bisect_left(self._sorted, term)
        while at < len(self._sorted) and self._sorted[at].startswith(term):
            if len(self._sorted[at]) - len(term) <= 2:
                found.append(self._sorted[at])
            at += 1
        return [t for t in found if t in self._vocabulary]

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The ``limit`` best sentences for ``query``, each saying something new.

        Ties keep document order; a sentence with the same words as one
        already chosen is left out.
        """
        asked = list(dict.fromkeys(self.query_terms(query)))
        terms = [t for t in asked if t in self._vocabulary]
        if limit <= 0 or not (terms or any(t in self.terms.related for t in asked)):
            return []
        related = [
            other
            for term in asked
            for other in (*self.terms.related.get(term, ()), *self._variants(term))
            if other in self._vocabulary and other not in terms
        ]
        weights = {t: TITLE_WEIGHT if t in self._topic else 1.0 for t in terms}
        weights.update(dict.fromkeys(related, RELATED_WEIGHT))
        terms = list(weights)
        ids = [self._vocabulary[t] for t in terms]
        sentence = self._sentences.scores_of(ids, weights.values(), self._total)
        paragraph = self._paragraphs.scores_of(ids, weights.values(), self._paragraph_count)
        scores = sentence / self._sentences.scale(sentence, ids, weights.values())
        scores += (
            PARAGRAPH_WEIGHT
            * (paragraph / self._paragraphs.scale(paragraph, ids, weights.values()))[
                self._paragraph
            ]
        )
        kind = asked_kind(query, self.terms.language)
        if kind:
            # The question's words and the title's are not answers: the title names what
            # every sentence is about ("Who ..." of an article about Tesla is not Tesla).
            fresh = ((self._kinds & int(kind)) != 0) & ~np.isin(self._kind_term, ids)
            fresh &= ~np.isin(self._kind_term, self._topic_ids)
            answers = np.zeros(self._total, dtype=np.bool_)
            answers[self._kind_sentence[fresh]] = True
            scores += KIND_WEIGHT * (answers & (scores > 0))
        hits: list[Hit] = []
        seen: set[str] = set()
        for position in _best_first(scores, limit):
            key = _NOT_WORD.sub(" ", self.document.sentences[position].text.lower()).strip()
            if key in seen:
                continue
            seen.add(key)
            matched = frozenset(
                t for t, i in zip(terms, ids, strict=True) if self._sentences.holds(i, position)
            )
            hits.append(Hit(self.document.sentences[position], float(scores[position]), matched))
            if len(hits) >= limit:
                break
        return hits

    def marks(self, text: str, matched: frozenset[str]) -> list[tuple[int, int]]:
        """Where ``text`` has a word whose term is one of ``matched``: (start, end) pairs.

        A hyphenated word is marked part by part, or whole when the whole matched.
        """
        found: list[tuple[int, int]] = []
        if not matched:
            return found
        for token in TOKEN.finditer(text):
            word = token.group(0)
            name = self._names.get(_name_key(word, self.terms.words))
            if name is not None:
                if name in matched:
                    found.append(token.span())
                continue
            terms = self.terms.words.terms(word)
            if not set(terms) & matched:
                continue
            if "-" not in word or terms[-1] in matched:
                found.append(_trimmed(text, *token.span()))
                continue
            start = token.start()
            for part in word.split("-"):
                term = self.terms.words.part_term(part)
                if term is not None and term in matched:
                    found.append(_trimmed(text, start, start + len(part)))
                start += len(part) + 1
        return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a leading "$" or trailing "%" (the number itself is marked)."""
    while start < end and text[start] in "$":
        start += 1
    while end > start and text[end - 1] in "%":
        end -= 1
    return start, end


def _best_first(scores: FloatArray, limit: int) -> Iterator[int]:
    """Positions of the positive ``scores``, best first, ties in position order.

    The best few are sorted first (all a question usually needs, even when
    some are left out as repeats); the rest only if they are asked for.
    """
    candidates = np.flatnonzero(scores > 0)
    few = max(4 * limit, 16)
    if len(candidates) > few:
        values = scores[candidates]
        least = np.partition(values, len(values) - few)[len(values) - few]
        best = candidates[values >= least]
        yield from best[np.lexsort((best, -scores[best]))].tolist()
        candidates = candidates[values < least]
    yield from candidates[np.lexsort((candidates, -scores[candidates]))].tolist()


def _names(surfaces: Sequence[str], words: SearchWords) -> dict[str, str]:
    """Words the text writes only with a capital, lower-cased, and the term each stands for.

    A name is stemmed only when that takes off a plural (``Broncos`` is
    ``bronco``), so that ``Manning`` is not ``man``.
    """
    lower_case = {s if s.isascii() else words.fold(s) for s in surfaces if not is_name_like(s)}
    names: dict[str, str] = {}
    for surface in surfaces:
        lower = _name_key(surface, words) if is_name_like(surface) else ""
        if not lower.isalpha():  # (not written as a name, or not letters)
            continue
        if lower in lower_case or lower in names or words.is_stop_word(lower):
            continue
        stem = words.fold(words.stem(lower))
        names[lower] = stem if lower.startswith(stem) and len(lower) - len(stem) <= 1 else lower
    return names


def _name_key(token: str, words: SearchWords) -> str:
    """How a token is looked up among names: lower case, no possessive, no accents."""
    key = token.lower() if token.isalpha() else _POSSESSIVE.sub("", token).lower()
    return key if key.isascii() else words.fold(key)
