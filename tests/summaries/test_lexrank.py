"""FastLexRankSummarizer picks exactly what sumy's LexRankSummarizer picks."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from pydoc_data.topics import topics
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.summaries.sumy_lexrank import FastLexRankSummarizer
from bot.text.tokenizer import Tokenizer

ARTICLE = Path(__file__).resolve().parents[2] / "bot" / "data" / "netflix-generative-ai-leap.txt"
COUNTS: tuple[Any, ...] = (1, 2, 3, 5, "30%")
TOKENIZER = Tokenizer("english")
STEMMER = Stemmer("english")
STOP_WORDS = get_stop_words("english")


def make(cls: type[LexRankSummarizer]) -> LexRankSummarizer:
    summarizer = cls(STEMMER)
    summarizer.stop_words = STOP_WORDS
    return summarizer


SUMY = make(LexRankSummarizer)
FAST = make(FastLexRankSummarizer)


def document(paragraphs: Iterable[Sequence[str]]) -> ObjectDocumentModel:
    return ObjectDocumentModel(
        [Paragraph([Sentence(text, TOKENIZER) for text in sentences]) for sentences in paragraphs]
    )


def sumy_picks(doc: ObjectDocumentModel, count: Any) -> tuple[Sentence, ...]:
    # A graph without edges makes sumy divide 0 by 0 (numpy warns, scores are NaN).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        picks: tuple[Sentence, ...] = SUMY(doc, count)
    return picks


def assert_same(doc: ObjectDocumentModel, counts: Iterable[Any] = COUNTS) -> None:
    for count in counts:
        expected = sumy_picks(doc, count)
        got = FAST(doc, count)
        assert [str(s) for s in got] == [str(s) for s in expected], count
        # Same objects, not just equal text (repeated sentences are equal).
        assert [id(s) for s in got] == [id(s) for s in expected], count


# -- the bundled article -------------------------------------------------------


def article_sections() -> list[list[str]]:
    """Groups of paragraph lines between the article's headings (title dropped)."""
    lines = [line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line][1:]
    sections: list[list[str]] = [[]]
    for line in lines:
        if len(line) < 100 and line[-1] not in ".!?:”\"'":
            sections.append([])
        else:
            sections[-1].append(line)
    return [section for section in sections if section]


def test_article_has_five_sections() -> None:
    assert len(article_sections()) == 5  # introduction and the 4 headed sections


@pytest.mark.parametrize("index", range(5))
def test_article_sections_as_paragraphs(index: int) -> None:
    section = article_sections()[index]
    assert_same(document(TOKENIZER.to_sentences(line) for line in section))


def test_article_sections_through_plaintext_parser() -> None:
    for section in article_sections():
        doc = PlaintextParser.from_string("\n\n".join(section), TOKENIZER).document
        assert_same(doc)


def test_whole_article_through_plaintext_parser() -> None:
    doc = PlaintextParser.from_string(ARTICLE.read_text(encoding="utf-8"), TOKENIZER).document
    assert_same(doc, (1, 3, 10, "10%", "50%"))


# -- real prose: Python's reference topics -------------------------------------


@cache
def topic_sentences() -> tuple[str, ...]:
    return tuple(
        sentence for name in sorted(topics) for sentence in TOKENIZER.to_sentences(topics[name])
    )


SLICES = [
    (size, start)
    for size, starts in (
        (5, range(0, 8000, 700)),
        (20, range(35, 9000, 900)),
        (80, range(101, 9000, 1500)),
        (300, (1234, 7000)),
    )
    for start in starts
]


@pytest.mark.parametrize(("size", "start"), SLICES)
def test_topic_slices(size: int, start: int) -> None:
    assert_same(document([topic_sentences()[start : start + size]]))


def test_topic_slice_split_into_paragraphs() -> None:
    sentences = topic_sentences()[4321 : 4321 + 120]
    assert_same(document(sentences[i : i + 7] for i in range(0, len(sentences), 7)))


def test_scores_agree_with_sumy_to_rounding() -> None:
    doc = document([topic_sentences()[2000:2150]])
    sentences_words = [SUMY._to_words_set(s) for s in doc.sentences]
    matrix = SUMY._create_matrix(
        sentences_words,
        SUMY.threshold,
        SUMY._compute_tf(sentences_words),
        SUMY._compute_idf(sentences_words),
    )
    expected = SUMY.power_method(matrix, SUMY.epsilon)
    np.testing.assert_allclose(FAST.rate_sentences(doc), expected, rtol=0, atol=1e-14)


# -- degenerate inputs ---------------------------------------------------------


def test_empty_document() -> None:
    assert FAST(ObjectDocumentModel([]), 3) == ()
    assert FAST(document([[]]), "30%") == ()
    assert FAST.rate_sentences(ObjectDocumentModel([])).shape == (0,)


@pytest.mark.parametrize(
    "sentences",
    [
        ["Only one sentence here."],
        ["42."],
        ["The and of."],  # stop words only
        ["1999.", "2000!", "???"],  # no words at all
        ["Same words again.", "Same words again.", "Same words again."],
        ["Cats purr.", "Dogs bark."],  # every idf is log(2/2) = 0: scores are NaN
        ["Cats purr.", "Dogs bark.", "Birds sing."],  # similar only to themselves
        ["Cats purr.", "Cats purr loudly.", "42.", "Cats purr.", "The end."],
        ["Alpha beta.", "Beta alpha.", "Alpha beta gamma.", "Gamma.", "Gamma!"],
    ],
)
def test_degenerate_sections(sentences: list[str]) -> None:
    assert_same(document([sentences]), (*COUNTS, 0, 4, 100, "100%", "1", 2.0))


def test_count_larger_than_section() -> None:
    doc = document([topic_sentences()[500:512]])
    assert FAST(doc, 50) == doc.sentences
    assert_same(doc, (12, 13, 50, "99%"))


def test_callable_count() -> None:
    doc = document([topic_sentences()[700:760]])
    assert FAST(doc, lambda infos: infos[:4]) == sumy_picks(doc, lambda infos: infos[:4])


def test_no_warnings_on_nan_scores() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FAST(document([["Cats purr.", "Dogs bark."]]), 1)


def test_is_a_drop_in_for_sumys_class() -> None:
    summarizer = FastLexRankSummarizer(STEMMER)
    assert isinstance(summarizer, LexRankSummarizer)
    summarizer.stop_words = ["The", "AND"]
    assert summarizer.stop_words == frozenset({"the", "and"})
    with pytest.raises(TypeError):
        FastLexRankSummarizer("not a stemmer")


def test_threshold_and_epsilon_are_honoured() -> None:
    doc = document([topic_sentences()[3000:3080]])
    for threshold, epsilon in ((0.3, 0.1), (0.05, 0.01), (0.1, 0.001)):
        sumy, fast = make(LexRankSummarizer), make(FastLexRankSummarizer)
        for summarizer in (sumy, fast):
            summarizer.threshold = threshold
            summarizer.epsilon = epsilon
        for count in COUNTS:
            assert fast(doc, count) == sumy(doc, count)


# -- generated sections: small vocabularies force ties and threshold cases -----

WORDS = ["apple", "apples", "banana", "cherry", "date", "egg", "fig", "the", "and", "42", "is"]
sentence_text = st.lists(st.sampled_from(WORDS), max_size=6).map(lambda w: " ".join(w) + ".")
counts = st.one_of(
    st.integers(min_value=0, max_value=12),
    st.sampled_from(["10%", "30%", "50%", "3"]),
    st.floats(min_value=0, max_value=8, allow_nan=False),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(st.lists(sentence_text, min_size=0, max_size=12), min_size=1, max_size=4),
    count=counts,
)
def test_generated_sections(paragraphs: list[list[str]], count: Any) -> None:
    assert_same(document(paragraphs), (count,))


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=len(topic_sentences()) - 60),
    size=st.integers(min_value=1, max_value=60),
    count=counts,
)
def test_generated_topic_slices(start: int, size: int, count: Any) -> None:
    assert_same(document([topic_sentences()[start : start + size]]), (count,))


def test_large_section_without_dense_fallback_is_close() -> None:
    """Above ``max_dense_sentences`` only exact ties may be ordered differently."""
    doc = document([topic_sentences()[:600]])
    fast = make(FastLexRankSummarizer)
    fast.max_dense_sentences = 0
    scores = fast.rate_sentences(doc)
    picked = fast(doc, 5)
    expected = sumy_picks(doc, 5)
    chosen = {id(s) for s in picked} ^ {id(s) for s in expected}
    index = {id(s): i for i, s in enumerate(doc.sentences)}
    differing = [scores[index[key]] for key in chosen]
    assert not differing or np.ptp(differing) < 1e-12
