"""Languages: from the file name, the LANGUAGE setting, or detected from the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.sources.reader import Reader, article_name
from bot.text.languages import AUTO, detect_language, language_in_name, set_language
from tests.conftest import ROOT
from tests.page_server import ETERNAUTA_MD

SAMPLES = {
    "spanish": ETERNAUTA_MD.read_text(encoding="utf-8"),
    "english": (ROOT / "bot" / "data" / "netflix-generative-ai-leap.txt").read_text("utf-8"),
    "french": "Il était une fois une petite fille qui vivait dans la forêt avec sa grand-mère "
    "et elle aimait beaucoup les fleurs et les oiseaux du jardin pendant que le soleil brillait "
    "sur la maison, et tous les matins elle chantait.",
    "portuguese": "Era uma vez uma menina que vivia na floresta com a sua avó e ela gostava muito "
    "das flores e dos pássaros do jardim enquanto o sol brilhava sobre a casa e todas as manhãs "
    "ela cantava.",
    "italian": "C'era una volta una bambina che viveva nel bosco con la sua nonna e le piacevano "
    "molto i fiori e gli uccelli del giardino mentre il sole splendeva sulla casa e tutte le "
    "mattine cantava.",
    "german": "Es war einmal ein kleines Mädchen, das mit seiner Großmutter im Wald lebte, und "
    "sie liebte die Blumen und die Vögel im Garten, während die Sonne auf das Haus schien, und "
    "jeden Morgen sang sie.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detection_by_stop_words(language: str) -> None:
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize("text", ["", "El Eternauta", "1957 1959 2025", "Oesterheld Solano López"])
def test_too_little_text_falls_back(text: str) -> None:
    assert detect_language(text) == "english"
    assert detect_language(text, fallback="spanish") == "spanish"


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("eternauta.es.md", "spanish"),
        ("articles/informe.PT.txt", "portuguese"),
        ("eternauta.md", None),
        ("notes.v2.md", None),
        ("es.md", None),
    ],
)
def test_language_in_the_file_name(name: str, language: str | None) -> None:
    assert language_in_name(name) == language


def test_precedence_name_then_setting_then_text() -> None:
    assert set_language("english", name="eternauta.es.md") == "spanish"
    assert set_language(AUTO, name="eternauta.es.md") == "spanish"
    assert set_language("english", name="eternauta.md") == "english"
    assert set_language(AUTO, name="eternauta.md") is None  # detected from the text


@pytest.mark.parametrize(
    ("setting", "file_name", "language"),
    [
        (AUTO, "cuento.md", "spanish"),
        ("spanish", "cuento.md", "spanish"),
        ("english", "cuento.md", "english"),
        ("english", "cuento.es.md", "spanish"),
    ],
)
def test_the_reader_reads_a_file_in_its_language(
    tmp_path: Path, setting: str, file_name: str, language: str
) -> None:
    path = tmp_path / file_name
    path.write_text(SAMPLES["spanish"], encoding="utf-8")
    article = Reader(language=setting).file(path)
    assert article.name == "cuento"
    assert article.document.language == language
    assert prepare(article.name, article.document, Options()).tokenizer.language == language


def test_names_drop_the_extension_and_the_language_code() -> None:
    assert article_name("a/b/eternauta.es.md") == "eternauta"
    assert article_name("report.final.txt") == "report.final"
    assert article_name("notes.html") == "notes"


def test_spanish_stemming_and_stop_words_decide_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "eternauta.md"
    path.write_text(SAMPLES["spanish"], encoding="utf-8")
    question = read_command("¿Quién dibujó la historieta?")
    for setting in ("spanish", "english"):
        library = ChannelArticles(Library([Reader(language=setting).file(path)]))
        reply = handle(question, Request(channel="C1"), library)
        assert reply.kind is Kind.ANSWER
        marked = {s.text for q in reply.blocks[0].quotes for s in q.spans if s.marked}
        # Only the Spanish stemmer joins "dibujó" and "dibujada".
        assert ("dibujada" in marked) is (setting == "spanish")
