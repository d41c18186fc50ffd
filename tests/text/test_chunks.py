"""bot.text.chunks: every sentence's ``str.split()``, numbered by distinct chunk."""

from __future__ import annotations

from pydoc_data.topics import topics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import token_table
from bot.text.chunks import Chunks, text_chunks


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
