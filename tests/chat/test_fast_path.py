"""The fast path gives exactly what the reference gives: sumy, NLTK, and the plain algorithms.

* Word splitting: :meth:`Tokenizer.to_words` and :meth:`Tokenizer.words_of`
  against the regular expression they shortcut.
* Stems: :func:`bot.text.stemmers.english_stem` against NLTK's ``EnglishStemmer``
  (what sumy uses), and stop words against sumy's ``get_stop_words``.
* Summaries: :class:`bot.summaries.summarizer.Summarizer` (every section ranked at once
  by :mod:`bot.summaries.lexrank`) against sumy's ``LexRankSummarizer`` run section by
  section, on the bundled article and on generated documents.
* Search: the vectorised BM25 index against a plain one.
* Start-up: the default path does not import NLTK or sumy's summarizers.
"""

from __future__ import annotations

import math
import subprocess
import sys
import sysconfig
import warnings
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from pydoc_data.topics import topics

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.stem.snowball import EnglishStemmer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.search.answer_kinds import asked_kind
from bot.search.index import SearchIndex, Terms
from bot.sources.files import load_bundled
from bot.summaries import lexrank as ranking
from bot.summaries import lexrank_graph
from bot.summaries.summarizer import Summarizer, SummaryLength
from bot.text import token_table
from bot.text.document import Document, Section, slugify
from bot.text.stemmers import english_stem, stemmer_for, stop_words_for
from bot.text.term_ids import term_ids
from bot.text.tokenizer import _POSSESSIVE, _WORD, LANGUAGES, Tokenizer
from tests.conftest import ROOT

TOKENIZER = Tokenizer("english")


# -- words ------------------------------------------------------------------------


def reference_words(text: str) -> tuple[str, ...]:
    return tuple(_POSSESSIVE.sub("", word) for word in _WORD.findall(text))


TRICKY = "aZ'’-_ 1.,\t\n\"sSéß½²İ\u00a0\u2003\x01\x1f—“‘\u201b"
text = st.text(alphabet=st.sampled_from(TRICKY), max_size=30) | st.text(max_size=30)


@settings(max_examples=500)
@given(sentence=text)
def test_to_words_is_the_regular_expression(sentence: str) -> None:
    assert TOKENIZER.to_words(sentence) == reference_words(sentence)


@settings(max_examples=300)
@given(sentences=st.lists(text, max_size=8))
def test_words_of_many_sentences_is_to_words_of_each(sentences: list[str]) -> None:
    flat, counts = TOKENIZER.words_of(sentences)
    expected = [TOKENIZER.to_words(sentence) for sentence in sentences]
    assert counts == [len(words) for words in expected]
    assert flat == [word for words in expected for word in words]


def assert_word_ids_are_to_words(sentences: list[str]) -> None:
    found = TOKENIZER.word_ids(sentences)
    expected = [TOKENIZER.to_words(sentence) for sentence in sentences]
    flat = [word for words in expected for word in words]
    assert [found.words[index] for index in found.ids.tolist()] == flat
    assert found.words == list(dict.fromkeys(flat))  # each once, in order of first appearance
    assert found.sentence.tolist() == [n for n, words in enumerate(expected) for _ in words]


LONG = st.text(alphabet=st.sampled_from("ab-'é "), min_size=14, max_size=40)


@settings(max_examples=300)
@given(sentences=st.lists(text | LONG, max_size=8))
def test_word_ids_are_to_words_of_each(sentences: list[str]) -> None:
    assert_word_ids_are_to_words(sentences)


def test_word_ids_when_every_token_hashes_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every token in one slot: each round numbers one token, a dictionary the rest.
    monkeypatch.setattr(token_table, "_MIXES", (np.uint64(0), np.uint64(0)))
    sentences = [*topic_sentences()[:300], "", "internationalization-wise", "a--b ’s"]
    assert_word_ids_are_to_words(sentences)


def test_word_ids_of_real_prose() -> None:
    assert_word_ids_are_to_words(list(topic_sentences()))


def test_term_ids_look_at_each_distinct_word_once() -> None:
    sentences = list(topic_sentences()[:2000])
    seen: list[str] = []

    def terms(words: list[str]) -> list[str | None]:
        seen.extend(words)
        return [None if w.lower() in {"the", "a", "is"} else w.lower()[:4] for w in words]

    found = term_ids(TOKENIZER, sentences, terms)
    expected = [
        (n, word.lower()[:4])
        for n, sentence in enumerate(sentences)
        for word in TOKENIZER.to_words(sentence)
        if word.lower() not in {"the", "a", "is"}
    ]
    got = [found.vocabulary[i] for i in found.ids.tolist()]
    assert list(zip(found.sentence.tolist(), got, strict=True)) == expected
    assert found.vocabulary == list(dict.fromkeys(t for _, t in expected))
    assert sorted(seen) == sorted({w for s in sentences for w in TOKENIZER.to_words(s)})


def test_many_terms_are_each_term() -> None:
    terms = Terms(TOKENIZER)
    words = ["The", "running", "Runs", "the", "café", "’tis", "a", "Zebras"]
    assert terms.terms(words) == [Terms(TOKENIZER).term(word) for word in words]


def test_words_of_real_prose() -> None:
    sentences = list(topic_sentences()[:3000])
    flat, counts = TOKENIZER.words_of(sentences)
    assert flat == [word for s in sentences for word in reference_words(s)]
    assert sum(counts) == len(flat) > 15_000


# -- stems and stop words -------------------------------------------------------------


@cache
def topic_sentences() -> tuple[str, ...]:
    return tuple(s for name in sorted(topics) for s in TOKENIZER.to_sentences(topics[name]))


EDGE_WORDS = [
    "", "a", "ab", "abc", "'s", "’tis", "o’neil's", "yesterday", "sky", "skies", "dying",
    "generously", "generalization", "communication", "arsenals", "realization", "realizations",
    "cognizer", "gb-sized", "n-sized", "added", "biologist", "quantization", "proceeding",
    "succeeded", "feed", "agreed", "hopping", "hoping", "luxuriated", "fluently", "sensational",
    "Yay", "YYY", "ayy", "played", "cried", "ties", "ied", "bus", "gas", "kiss", "caresses",
    "electrical", "formative", "hopefulness", "goodness", "adjustable", "fizzled", "bled",
    "café", "naïve", "straße", "İstanbul",
]  # fmt: skip


@cache
def word_list() -> list[str]:
    """Every word of the reference topics, the bundled article and the standard library's
    top-level modules (docstrings, comments and names): over 20,000 words."""
    words = {word for sentence in topic_sentences() for word in TOKENIZER.to_words(sentence)}
    article = load_bundled(TOKENIZER)
    words |= {w for s in article.sentences for w in TOKENIZER.to_words(s.text)}
    for module in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        words |= set(TOKENIZER.to_words(module.read_text(encoding="utf-8", errors="ignore")))
    return sorted(words | {w.lower() for w in words} | set(EDGE_WORDS))


def test_english_stem_is_nltks_on_a_big_word_list() -> None:
    nltk_stem = EnglishStemmer().stem
    words = word_list()
    assert len(words) > 20_000
    assert [english_stem(w) for w in words] == [nltk_stem(w) for w in words]


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
@given(word=st.text(alphabet=st.sampled_from("aeiouybcdglnrstYS'’‘-"), max_size=14))
def test_english_stem_is_nltks_on_generated_words(word: str) -> None:
    assert english_stem(word) == EnglishStemmer().stem(word)


def test_stemmer_for_english_is_ours_and_others_are_sumys() -> None:
    # NLTK's quirk, kept: the Snowball reference (and snowballstemmer) say "realiz".
    assert stemmer_for("english")("realizations") == "realize"
    for language in ("german", "french", "czech"):
        words = ["Häuser", "maisons", "hrady", "running"]
        assert [stemmer_for(language)(w) for w in words] == [Stemmer(language)(w) for w in words]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_stop_words_are_sumys(language: str) -> None:
    assert stop_words_for(language) == frozenset(get_stop_words(language))


def test_missing_stop_words_are_empty() -> None:
    assert stop_words_for("klingon") == frozenset()
    assert stop_words_for("../english") == frozenset()


# -- summaries: the whole-document path against sumy, section by section ----------------


def sumy_picks(section: Section, count: int) -> tuple[int, ...]:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    paragraphs = [[SumySentence(t, TOKENIZER) for t in texts] for texts in section.paragraphs]
    originals = [sentence for paragraph in paragraphs for sentence in paragraph]
    if count >= len(originals):
        return tuple(range(len(originals)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NaN scores of an edgeless section
        picked = summarizer(ObjectDocumentModel([Paragraph(p) for p in paragraphs]), count)
    position = {id(sentence): index for index, sentence in enumerate(originals)}
    return tuple(sorted(position[id(sentence)] for sentence in picked))


def assert_same_as_sumy(document: Document, lengths: tuple[SummaryLength, ...]) -> None:
    summarizer = Summarizer("lex-rank", TOKENIZER)
    for length in lengths:
        for section in document.sections:
            expected = sumy_picks(section, length.count_for(len(section.sentences)))
            got = summarizer.pick(document, section.number, length)
            assert got == expected, (section.number, length)


def document_of(sections: list[list[list[str]]]) -> Document:
    return Document(
        "Generated",
        tuple(
            Section(n, f"Part {n}", slugify(f"Part {n}"), tuple(tuple(p) for p in paragraphs))
            for n, paragraphs in enumerate(sections, start=1)
        ),
    )


LENGTHS = (SummaryLength(1), SummaryLength(2), SummaryLength(3), SummaryLength(30, percent=True))


def test_bundled_article_picks_are_sumys() -> None:
    assert_same_as_sumy(load_bundled(TOKENIZER), (*LENGTHS, SummaryLength(5)))


def test_sections_of_real_prose_picks_are_sumys() -> None:
    sentences = topic_sentences()
    sizes = [1, 2, 5, 17, 40, 90, 3, 150, 60, 8]
    sections, start = [], 1000
    for size in sizes:
        chunk = list(sentences[start : start + size])
        sections.append([chunk[i : i + 6] for i in range(0, len(chunk), 6)])
        start += size * 7
    sections.append([["Repeated words here.", "Repeated words here."], ["Repeated words here."]])
    assert_same_as_sumy(document_of(sections), LENGTHS)


def test_big_sections_computed_in_slices_pick_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 40-sentence section: 17 rows at once.
    monkeypatch.setattr(lexrank_graph, "_BLOCK_CELLS", 700)
    sentences = topic_sentences()
    sizes = [40, 3, 4, 26, 30, 2]
    sections, start = [], 5000
    for size in sizes:
        sections.append([list(sentences[start : start + size])])
        start += size
    assert_same_as_sumy(document_of(sections), LENGTHS)


WORDS = ["apple", "apples", "banana", "cherry", "date", "egg", "fig", "the", "and", "42", "is"]
sentence_text = st.lists(st.sampled_from(WORDS), max_size=6).map(lambda w: " ".join(w) + ".")
section_paragraphs = st.lists(
    st.lists(sentence_text, min_size=1, max_size=7), min_size=1, max_size=3
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections=st.lists(section_paragraphs, min_size=1, max_size=6))
def test_generated_documents_with_ties_pick_the_same(sections: list[list[list[str]]]) -> None:
    assert_same_as_sumy(document_of(sections), LENGTHS)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sections=st.lists(section_paragraphs, min_size=1, max_size=6),
    counts=st.lists(st.integers(-1, 9), min_size=6, max_size=6),
)
def test_pick_all_is_each_sections_pick(sections: list[list[list[str]]], counts: list[int]) -> None:
    ranks = Summarizer("lex-rank", TOKENIZER).ranks(document_of(sections))
    wanted = counts[: len(ranks)]
    assert ranking.pick_all(ranks, wanted) == [
        rank.pick(count) for rank, count in zip(ranks, wanted, strict=True)
    ]


def test_pick_all_on_real_prose_is_each_sections_pick() -> None:
    sentences = topic_sentences()
    sections = [[list(sentences[start : start + 40])] for start in range(0, 4000, 40)]
    ranks = Summarizer("lex-rank", TOKENIZER).ranks(document_of(sections))
    for count in (1, 2, 3, 7, 39, 40):
        wanted = [count] * len(ranks)
        assert ranking.pick_all(ranks, wanted) == [rank.pick(count) for rank in ranks]


# -- search -------------------------------------------------------------------------------


def _okapi(documents: list[list[str]], query: dict[str, float]) -> list[float]:
    """Okapi BM25 (k1 1.2, b 0.75) of each document for ``query``, the plain way.

    Each divided by the best, or by the sum of the query's idf when that is more.
    """
    total = len(documents)
    average = sum(map(len, documents)) / total
    holding = Counter(term for terms in documents for term in set(terms))
    scores = []
    for terms in documents:
        counts = Counter(terms)
        norm = 1 - 0.75 + 0.75 * len(terms) / average
        scores.append(
            sum(
                query[t] * math.log(1 + (total - holding[t] + 0.5) / (holding[t] + 0.5))
                * counts[t] * 2.2 / (counts[t] + 1.2 * norm)
                for t in query.keys() & counts.keys()
            )
        )  # fmt: skip
    full = sum(
        weight * math.log(1 + (total - holding[t] + 0.5) / (holding[t] + 0.5))
        for t, weight in query.items()
        if holding[t]
    )
    scale = max(max(scores), full) or 1.0
    return [score / scale for score in scores]


def reference_search(
    document: Document, index: SearchIndex, query: str, limit: int
) -> list[tuple[object, float, frozenset[str]]]:
    """BM25 of the sentence plus 0.6 x its paragraph's, each scaled, the plain way.

    A word of the article's title counts half.
    """
    sentences = [index.query_terms(sentence.text) for sentence in document.sentences]
    keys = [(s.section, s.paragraph) for s in document.sentences]
    paragraphs: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, terms in zip(keys, sentences, strict=True):
        paragraphs[key].extend(terms)
    title = set(index.query_terms(document.title))
    wanted = {t: 0.5 if t in title else 1.0 for t in index.query_terms(query)}
    own = _okapi(sentences, wanted)
    around = dict(zip(paragraphs, _okapi(list(paragraphs.values()), wanted), strict=True))
    scores = [o + 0.6 * around[k] for o, k in zip(own, keys, strict=True)]
    ranked = sorted((p for p, score in enumerate(scores) if score > 0), key=lambda p: -scores[p])
    return [
        (document.sentences[p], scores[p], frozenset(wanted.keys() & set(sentences[p])))
        for p in ranked[:limit]
    ]


def test_search_is_bm25_with_the_paragraph() -> None:
    document = load_bundled(TOKENIZER)
    index = SearchIndex(document, Terms(TOKENIZER))
    vocabulary = sorted({w for s in document.sentences for w in TOKENIZER.to_words(s.text)})
    queries = ["what did Sarandos say?", "", "the", "zzz unknown", "AI labor actors", "16% 2023"]
    queries += [" ".join(vocabulary[(i * 7 + k * 31) % len(vocabulary)] for k in range(i % 5 + 1))
                for i in range(300)]  # fmt: skip
    checked = 0
    for n, query in enumerate(queries):
        related = any(t in index.terms.related for t in index.query_terms(query))
        if asked_kind(query) or related:  # answer kinds and related words add to the score
            continue
        limit = (0, 1, 3, 10)[n % 4]
        got = [(h.sentence, h.score, h.matched) for h in index.search(query, limit)]
        expected = reference_search(document, index, query, limit)
        assert [(s, m) for s, _, m in got] == [(s, m) for s, _, m in expected], query
        assert [score for _, score, _ in got] == pytest.approx([e for _, e, _ in expected])
        checked += 1
    assert checked > 250


# -- start-up -------------------------------------------------------------------------------


def test_default_path_does_not_import_nltk_or_sumys_summarizers() -> None:
    script = (
        "import io, sys, contextlib\n"
        "from adapters.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main(['console', '--env-file', '/nonexistent/.env'])\n"
        "assert 'Sarandos' in out.getvalue() or out.getvalue()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('nltk', 'sumy.summarizers',"
        " 'sumy.nlp'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]", result.stdout
