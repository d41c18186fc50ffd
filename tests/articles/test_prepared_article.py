"""A prepared article: built once, frozen, versioned by its text, the same picks as before."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest

from bench.baseline import sumy_lexrank, sumy_pick
from bot.articles.library import Library
from bot.articles.options import OVERVIEW_SECTIONS, Options
from bot.articles.prepared import PreparedArticle, Unprepared, overview_length, prepare
from bot.search.index import SearchIndex
from bot.search.terms import Terms
from bot.sources.reader import Reader
from bot.summaries.summarizer import Summarizer, SummaryLength
from bot.text.document import Document
from bot.text.parsing import parse_text
from bot.text.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
ETERNAUTA = ROOT / "examples" / "articles" / "eternauta.es.md"
QUESTIONS = (
    "what did Sarandos say?",
    "labor",
    "¿quién dibujó la historieta?",
    "¿qué pasó con la casa de los amigos?",
    "2023",
)
TEXT = (
    "# Harbour news\n\n"
    "The ferry left the harbour at noon. Its captain waved to the crowd.\n\n"
    "## Weather\n\n"
    "Rain fell all morning. The wind turned west by evening. Fishermen stayed home.\n"
)


@pytest.fixture(scope="module")
def spanish() -> Document:
    return Reader().file(ETERNAUTA).document


def documents(bundled: Document, spanish: Document) -> list[Document]:
    return [bundled, spanish]


def test_a_prepared_article_is_frozen(bundled: Document) -> None:
    article = prepare("bundled", bundled, Options())
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.summaries = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.name = "other"  # type: ignore[misc]
    assert not hasattr(article, "__dict__")  # slots: nothing can be added later
    assert [f.name for f in dataclasses.fields(article)] == [
        "name",
        "document",
        "options",
        "terms",
        "index",
        "overviews",
        "summaries",
        "version",
    ]
    assert len(article.summaries) == len(article.overviews) == len(bundled.sections)


def test_the_version_follows_the_text_and_nothing_else(tokenizer: Tokenizer) -> None:
    first = prepare("news", parse_text(TEXT, tokenizer=tokenizer), Options())
    again = prepare("news", parse_text(TEXT, tokenizer=tokenizer), Options())
    assert first.version == again.version  # the same text, parsed again
    assert len(first.version) == 12 and int(first.version, 16) >= 0
    other_options = Options(algorithm="lex-rank", length=SummaryLength(1))
    assert prepare("elsewhere", first.document, other_options).version == first.version
    assert first.renamed("news-2").version == first.version
    changed = parse_text(TEXT.replace("noon", "dawn"), tokenizer=tokenizer)
    assert prepare("news", changed, Options()).version != first.version
    retitled = parse_text(TEXT.replace("## Weather", "## Rain"), tokenizer=tokenizer)
    assert prepare("news", retitled, Options()).version != first.version
    split = parse_text(TEXT.replace("noon. Its", "noon.\n\nIts"), tokenizer=tokenizer)
    assert prepare("news", split, Options()).version != first.version  # a new paragraph


@pytest.mark.parametrize("algorithm", ["coverage", "lex-rank", "text-rank", "lsa"])
def test_prepare_picks_what_the_summarizer_picks(
    bundled: Document, spanish: Document, algorithm: str
) -> None:
    length = SummaryLength(3)
    for document in documents(bundled, spanish):
        article = prepare("a", document, Options(algorithm=algorithm, length=length))
        summarizer = Summarizer(algorithm, Tokenizer(document.language))
        overview = summarizer.overview(document, article.options.overview_words, OVERVIEW_SECTIONS)
        for section in document.sections:
            number = section.number
            assert article.summary(section) == summarizer.sentences(document, number, length)
            if algorithm == "coverage":
                wanted = overview[number - 1] if number <= OVERVIEW_SECTIONS else ()
                assert article.overviews[number - 1] == wanted
            else:
                short = overview_length(section)
                assert article.overview(section) == summarizer.sentences(document, number, short)


def test_lex_rank_picks_what_sumy_picks(bundled: Document, spanish: Document) -> None:
    for document in documents(bundled, spanish):
        tokenizer = Tokenizer(document.language)
        sumy = sumy_lexrank(document.language)
        article = prepare("a", document, Options(algorithm="lex-rank"))
        for section in document.sections:
            count = min(3, len(section.sentences))
            assert article.summaries[section.number - 1] == sumy_pick(
                sumy, section, tokenizer, count
            )


def test_prepare_answers_as_a_search_index_does(bundled: Document, spanish: Document) -> None:
    for document in documents(bundled, spanish):
        article = prepare("a", document, Options())
        index = SearchIndex(document, Terms(Tokenizer(document.language)))
        for question in QUESTIONS:
            found = [(hit.sentence, hit.score) for hit in article.index.search(question, 3)]
            assert found == [(hit.sentence, hit.score) for hit in index.search(question, 3)]
        assert any(article.index.search(question, 3) for question in QUESTIONS)


def _news(number: int, tokenizer: Tokenizer) -> Document:
    """A document whose every sentence is its own (the number is in each)."""
    sentences = " ".join(f"Item {number} story {n} tells of boat {n * number}." for n in range(6))
    others = " ".join(f"Report {number} line {n} lists port {n + number}." for n in range(5))
    return parse_text(
        f"# News {number}\n\n{sentences}\n\n## More\n\n{others}\n", tokenizer=tokenizer
    )


def test_two_documents_never_share_picks(tokenizer: Tokenizer) -> None:
    # Documents made and dropped one after another often reuse an address (an id()):
    # the picks of each are still its own.
    summarizer = Summarizer("coverage", tokenizer)
    seen: set[str] = set()
    for number in range(1, 13):
        document = _news(number, tokenizer)
        article = prepare(f"news-{number}", document, Options(length=SummaryLength(2)))
        fresh = Summarizer("coverage", tokenizer)
        assert article.summaries == fresh.pick_all(document, SummaryLength(2))
        assert summarizer.pick_all(document, SummaryLength(2)) == article.summaries
        for section in document.sections:
            assert set(article.summary(section)) <= set(section.sentences)
            assert set(article.overview(section)) <= set(section.sentences)
        seen.add(article.version)
        del document, article
        gc.collect()
    assert len(seen) == 12


def test_the_library_prepares_on_first_use_and_keeps_it(bundled: Document) -> None:
    unprepared = Unprepared("bundled", bundled)
    library = Library([unprepared], options=Options(answers=2))
    entry = library.get("bundled")
    assert entry is unprepared and not library.is_ready(entry)
    article = library.article(entry)
    assert isinstance(article, PreparedArticle) and article.options.answers == 2
    assert library.get("bundled") is article and library.is_ready(article)
    assert library.article(unprepared) is article  # not prepared twice
    assert library.article(article) is article


def test_a_renamed_page_keeps_its_preparation(bundled: Document) -> None:
    article = prepare("netflix", bundled, Options())
    library = Library([Unprepared("netflix", bundled)])
    added, dropped = library.add_page(article)
    assert (added.name, dropped) == ("netflix-2", [])
    assert isinstance(added, PreparedArticle) and added.index is article.index
    assert library.names == ("netflix", "netflix-2")
