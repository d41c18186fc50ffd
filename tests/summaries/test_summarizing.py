"""Section summaries with every algorithm: real sumy on the bundled article."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import bot.summaries.summarizer as summarizing
from bot.articles.options import Options
from bot.articles.prepared import overview_length, prepare
from bot.errors import ConfigError
from bot.summaries.summarizer import ALGORITHMS, Summarizer, SummaryLength
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
@pytest.mark.parametrize("length", ["1", "2", "3", "50%"])
def test_every_algorithm_picks_the_sections_own_sentences_in_order(
    bundled: Document, tokenizer: Tokenizer, algorithm: str, length: str
) -> None:
    summarizer = Summarizer(algorithm, tokenizer)
    wanted = SummaryLength.parse(length)
    for section in bundled.sections:
        picked = summarizer.pick(bundled, section.number, wanted)
        assert len(picked) == wanted.count_for(len(section.sentences))
        assert list(picked) == sorted(set(picked))
        sentences = summarizer.sentences(bundled, section.number, wanted)
        assert set(sentences) <= set(section.sentences)


def test_never_more_than_the_section_has(bundled: Document, tokenizer: Tokenizer) -> None:
    summarizer = Summarizer("lex-rank", tokenizer)
    intro = bundled.sections[0]
    assert summarizer.sentences(bundled, 1, SummaryLength(50)) == intro.sentences


def test_each_summary_is_computed_once_when_the_article_is_prepared(
    bundled: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = ALGORITHMS["text-rank"]

    def counting(stemmer: Callable[[str], str]) -> object:
        calls.append(1)
        return real(stemmer)

    monkeypatch.setitem(summarizing.ALGORITHMS, "text-rank", counting)
    article = prepare("a", bundled, Options(algorithm="text-rank", length=SummaryLength(2)))
    # sumy runs once for each section and length that leaves sentences out.
    needed = sum(
        length.count_for(len(section.sentences)) < len(section.sentences)
        for section in bundled.sections
        for length in (SummaryLength(2), overview_length(section))
    )
    assert len(calls) == needed > 0
    for section in bundled.sections:
        assert len(article.summary(section)) == min(2, len(section.sentences))
        article.overview(section)
    assert len(calls) == needed  # reading a prepared article summarizes nothing


@pytest.mark.parametrize(
    ("text", "count_of_10"), [("1", 1), ("3", 3), ("30", 10), ("20%", 2), ("1%", 1), ("100%", 10)]
)
def test_length(text: str, count_of_10: int) -> None:
    assert SummaryLength.parse(text).count_for(10) == count_of_10


@pytest.mark.parametrize("text", ["0", "-1", "abc", "101%", "", "3.5", "10**30"])
def test_bad_lengths_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="summary length"):
        SummaryLength.parse(text)


def test_unknown_algorithm(tokenizer: Tokenizer) -> None:
    with pytest.raises(ConfigError, match=r"unknown summary algorithm 'magic'.*lex-rank"):
        Summarizer("magic", tokenizer)


def test_algorithm_names_are_forgiving(tokenizer: Tokenizer) -> None:
    assert Summarizer("Text_Rank", tokenizer).algorithm == "text-rank"
