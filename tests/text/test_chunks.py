"""bot.text.chunks: every sentence's ``str.split()``, numbered by distinct chunk."""

from __future__ import annotations

from pydoc_data.topics import topics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import token_table
from bot.text.chunks import Chunks, sentence_chunks, text_chunks
from bot.text.document import Document, Section
from bot.text.term_ids import document_terms, term_ids
from bot.text.tokenizer import Tokenizer


def expected(sentences: list[str]) -> tuple[list[str], list[list[str]]]:
    """Distinct chunks in order of first appearance, and each sentence's chunks (NUL a space)."""
    each = [sentence.replace("\x00", " ").split() for sentence in sentences]
    return list(dict.fromkeys(chunk for chunks in each for chunk in chunks)), each


def found(chunks: Chunks, count: int) -> list[list[str]]:
    each: list[list[str]] = [[] for _ in range(count)]
    for chunk, sentence in zip(chunks.ids.tolist(), chunks.sentence.tolist(), strict=True):
        each[sentence].append(chunks.surfaces[chunk])
    return each


def assert_split(sentences: list[str]) -> None:
    chunks = text_chunks(sentences)
    surfaces, each = expected(sentences)
    assert chunks.surfaces == surfaces
    assert found(chunks, len(sentences)) == each
    assert chunks.counts.tolist() == [len(c) for c in each]


TEXT = st.text(alphabet=st.sampled_from("ab. ,\t\n\x0b\x1ce\u00e9\u00a0\u3000\x00\x01-'’("))


@settings(max_examples=400)
@given(sentences=st.lists(TEXT, max_size=8))
def test_chunks_are_each_sentence_split(sentences: list[str]) -> None:
    assert_split(sentences)


@settings(max_examples=200)
@given(sentences=st.lists(st.text(alphabet=st.sampled_from("ab. é(’\x01")), max_size=8))
def test_chunks_without_other_spaces(sentences: list[str]) -> None:
    assert_split(sentences)  # the numpy pass (no space beyond ASCII, no NUL)


def test_chunks_of_real_prose_in_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(token_table, "CHUNK_CHARS", 1000)
    sentences = [line for text in list(topics.values())[:40] for line in text.splitlines()]
    assert_split(sentences)
    assert len(text_chunks(sentences).surfaces) > 1000


def test_chunks_when_every_chunk_hashes_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(token_table, "_MIXES", (np.uint64(0), np.uint64(0)))
    assert_split(["one two, three", "two one (four)", "", "a-very-long-chunk-of-many-bytes two"])


def test_no_sentences() -> None:
    chunks = text_chunks([])
    assert (chunks.surfaces, chunks.ids.tolist(), chunks.sentence.tolist()) == ([], [], [])


# --- one word pass: the summaries' words read from the index's chunks ----------

WORDY = st.text(alphabet=st.sampled_from("ab AZ.,\t\x00\u00a0\u3000é-'’s2ß(\u00b2_“"), max_size=30)


def _document(sentences: list[str]) -> Document:
    paragraphs = tuple((sentence,) for sentence in sentences)
    return Document("Title", (Section(1, "One", "one", paragraphs),))


def _terms(words: list[str]) -> list[str | None]:
    return [None if word.lower() in {"a", "the"} else word.lower()[:3] for word in words]


def _same_terms(sentences: list[str]) -> None:
    tokenizer = Tokenizer("english")
    own = term_ids(tokenizer, sentences, _terms)
    document = _document(sentences)
    found, counts = document_terms(tokenizer, document, _terms)  # the summaries' own pass
    assert (found.ids.tolist(), found.sentence.tolist()) == (
        own.ids.tolist(),
        own.sentence.tolist(),
    )
    assert counts == [len(sentence.split()) for sentence in sentences]
    document = _document(sentences)
    chunks = sentence_chunks(document)  # as prepare() finds them for the index, first
    found, counts = document_terms(tokenizer, document, _terms, chunks)
    assert found.vocabulary == own.vocabulary
    assert (found.ids.tolist(), found.sentence.tolist()) == (
        own.ids.tolist(),
        own.sentence.tolist(),
    )
    assert counts == [len(sentence.split()) for sentence in sentences]


@settings(max_examples=300)
@given(sentences=st.lists(WORDY.filter(str.strip), min_size=1, max_size=8))
def test_words_from_the_chunks_are_the_tokenizers(sentences: list[str]) -> None:
    _same_terms(sentences)


def test_words_from_the_chunks_of_real_prose() -> None:
    sentences = [line for text in list(topics.values())[:60] for line in text.splitlines()]
    _same_terms([sentence for sentence in sentences if sentence.strip()])
