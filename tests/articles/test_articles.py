"""A library of articles: ARTICLES_DIR, `use`, `load <url>`, choices that survive restarts."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from adapters.settings import Settings
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.echo import defang
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle
from tests.conftest import ROOT
from tests.page_server import ETERNAUTA_MD, PageServer, serve_pages

DEFAULT = "netflix-generative-ai-leap"
ETERNAUTA_TITLE = "El Eternauta: la nevada que cambió la historieta argentina"
REPORT = (
    "# Quarterly report\n\nSales grew in the north. Costs fell.\n\n## Outlook\n\nWe expect more.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(ETERNAUTA_MD, articles / "eternauta.es.md")
    (articles / "report.md").write_text(REPORT, encoding="utf-8")
    (articles / "empty.txt").write_bytes(b"")
    (articles / "binary.html").write_bytes(b"\x00\x01\x02\x03" * 100)
    (articles / "slides.pdf").write_bytes(b"%PDF-1.4")
    return articles


@pytest.fixture
def server() -> Iterator[PageServer]:
    with serve_pages() as running:
        yield running


def settings(tmp_path: Path, folder: Path | None = None, **env: str) -> Settings:
    environ = {"STATE_DB": str(tmp_path / "state.sqlite3"), "URL_ALLOWED_NETWORKS": "127.0.0.1"}
    if folder is not None:
        environ["ARTICLES_DIR"] = str(folder)
    return Settings.from_environ({**environ, **env})


def ask(
    library: ChannelArticles,
    text: str,
    channel: str = "C1",
    user: str = "U1",
    *,
    admin: bool = False,
) -> Reply:
    return handle(read_command(text), Request(channel=channel, user=user, is_admin=admin), library)


# --- the folder -------------------------------------------------------------------------


def test_the_folder_loads_and_bad_files_are_skipped_with_a_warning(
    tmp_path: Path, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        library = build_library(settings(tmp_path, folder))
    assert library.library.names == (DEFAULT, "eternauta", "report")
    warnings = [record.getMessage() for record in caplog.records]
    assert any("empty.txt: the file is empty" in warning for warning in warnings)
    assert any("binary.html: looks like a binary file" in warning for warning in warnings)
    assert not any("slides.pdf" in warning for warning in warnings)


def test_articles_lists_them_with_their_language_and_this_channels(
    tmp_path: Path, folder: Path
) -> None:
    library = build_library(settings(tmp_path, folder))
    reply = ask(library, "/summary articles")
    assert reply.kind is Kind.ARTICLES
    text = reply.plain_text()
    assert f"`{DEFAULT}`: Netflix’s Generative AI Leap" in text
    assert "(english) - this channel's" in text
    assert f"`eternauta`: {ETERNAUTA_TITLE} (spanish)" in text
    assert "`report`: Quarterly report (english)" in text
    assert "`/summary use <name>`" in reply.note


def test_use_picks_the_article_of_one_channel_only(tmp_path: Path, folder: Path) -> None:
    library = build_library(settings(tmp_path, folder))
    reply = ask(library, "/summary use eternauta")
    assert reply.kind is Kind.NOTICE
    assert reply.title == f"This channel now reads “{ETERNAUTA_TITLE}” (`eternauta`)"
    assert "2. La nevada mortal" in reply.plain_text()
    assert ask(library, "/summary").title == ETERNAUTA_TITLE
    assert ask(library, "/summary", channel="C2").title.startswith("Netflix’s Generative AI")
    assert "(spanish) - this channel's" in ask(library, "articles").plain_text()


@pytest.mark.parametrize("name", ["Eternauta", "ETERNAUTA", "eternauta.es.md", "`eternauta`"])
def test_use_takes_any_case_or_the_file_name(tmp_path: Path, folder: Path, name: str) -> None:
    library = build_library(settings(tmp_path, folder))
    assert ask(library, f"use {name}").kind is Kind.NOTICE
    assert library.article_for("C1").name == "eternauta"


@pytest.mark.parametrize("name", ["nope", "../../etc/passwd", "empty", "slides"])
def test_an_unknown_article_is_named_with_the_known_ones(
    tmp_path: Path, folder: Path, name: str
) -> None:
    library = build_library(settings(tmp_path, folder))
    reply = ask(library, f"use {name}")
    assert reply.kind is Kind.ERROR
    assert reply.note.startswith(f"There is no article called “{name}”. Try one of ")
    assert f"`{DEFAULT}`, `eternauta`, `report`" in reply.note
    assert len(reply.note) < 300
    assert library.article_for("C1").name == DEFAULT


def test_the_folder_is_read_again_on_demand(tmp_path: Path, folder: Path) -> None:
    library = build_library(settings(tmp_path, folder))
    (folder / "later.txt").write_text(
        "Later news\n\nThe bridge opened today. Traffic moved well.\n", encoding="utf-8"
    )
    assert "`later`: Later news" in ask(library, "articles").plain_text()
    (folder / "sequel.md").write_text("# Sequel\n\nIt snowed again.\n", encoding="utf-8")
    assert ask(library, "use sequel").kind is Kind.NOTICE  # not listed yet: read on demand
    assert ask(library, "/summary").title == "Sequel"
    (folder / "sequel.md").write_text("# Sequel, revised\n\nIt rained.\n", encoding="utf-8")
    os.utime(folder / "sequel.md", ns=(1, 1))  # a changed file, whatever the clock says
    ask(library, "articles")
    assert ask(library, "/summary").title == "Sequel, revised"
    (folder / "sequel.md").unlink()
    ask(library, "articles")
    assert ask(library, "/summary").title.startswith("Netflix’s")  # back to the default


def test_a_file_named_like_the_default_does_not_replace_it(tmp_path: Path, folder: Path) -> None:
    shutil.copy(folder / "report.md", folder / f"{DEFAULT}.md")
    library = build_library(settings(tmp_path, folder))
    assert ask(library, "/summary").title.startswith("Netflix’s")
    assert library.library.names.count(DEFAULT) == 1


def test_the_default_article_in_the_folder_is_listed_once(tmp_path: Path, folder: Path) -> None:
    library = build_library(settings(tmp_path, folder, ARTICLE=str(folder / "report.md")))
    assert library.library.names == ("report", "eternauta")
    assert library.library.default == "report"


# --- choices survive a restart --------------------------------------------------------------


def test_a_channels_choice_survives_a_restart(tmp_path: Path, folder: Path) -> None:
    state = tmp_path / "state.sqlite3"
    first = build_library(settings(tmp_path, folder))
    assert not state.exists()  # nothing written until someone chooses
    ask(first, "use eternauta", channel="C1")
    ask(first, "use report", channel="C3")
    assert state.exists()

    restarted = build_library(settings(tmp_path, folder))
    assert restarted.article_for("C1").name == "eternauta"
    assert restarted.article_for("C3").name == "report"
    assert restarted.article_for("C2").name == DEFAULT
    assert ask(restarted, "/summary", channel="C1").title == ETERNAUTA_TITLE


def test_a_choice_whose_file_is_gone_reads_the_default(tmp_path: Path, folder: Path) -> None:
    ask(build_library(settings(tmp_path, folder)), "use report")
    (folder / "report.md").unlink()
    restarted = build_library(settings(tmp_path, folder))
    assert restarted.article_for("C1").name == DEFAULT


def test_a_choice_fails_politely_when_the_file_cannot_be_written(
    tmp_path: Path, folder: Path
) -> None:
    library = build_library(settings(tmp_path, folder))
    (tmp_path / "state.sqlite3").mkdir()  # a folder where the database should be
    reply = ask(library, "use eternauta")
    assert reply.kind is Kind.ERROR
    assert reply.note == "I couldn't save this channel's choice; please tell the bot's owner."


# --- the Spanish article, in the core ----------------------------------------------------------


def test_the_spanish_article_is_summarized_and_answered_in_spanish(
    tmp_path: Path, folder: Path
) -> None:
    library = build_library(settings(tmp_path, folder))
    ask(library, "use eternauta")
    article = library.article_for("C1")
    assert article.document.language == "spanish"
    overview = ask(library, "/summary")
    assert [block.heading for block in overview.blocks] == [
        "1. Introducción",  # the untitled introduction, named in the article's language
        "2. La nevada mortal",
        "3. Los invasores y el héroe colectivo",
        "4. El viajero de la eternidad",
        "5. Oesterheld y la dictadura",
        "6. La serie de Netflix",
    ]
    answer = ask(library, "¿quién dibujó la historieta?")
    assert answer.kind is Kind.ANSWER
    first = answer.blocks[0].quotes[0]
    assert first.text.startswith("El Eternauta es una historieta de ciencia ficción escrita")
    assert first.citation == "Section 1: Introducción"
    # Spanish stemming: "dibujó" finds "dibujada".
    assert {span.text for span in first.spans if span.marked} == {"historieta", "dibujada"}
    section = ask(library, "/summary nevada mortal")
    assert section.blocks[0].heading == "2. La nevada mortal"
    # The commonest Spanish words (missing from sumy's list) match nothing on their own...
    assert ask(library, "¿y qué es de lo que se fue?").kind is Kind.NOT_FOUND
    # ...and are not highlighted when real words match.
    answer = ask(library, "¿qué pasó con la casa de los amigos?")
    marked = {span.text.lower() for q in answer.blocks[0].quotes for span in q.spans if span.marked}
    assert marked and marked.isdisjoint({"de", "que", "qué", "la", "los", "con", "y", "a"})


# --- loading from a URL ---------------------------------------------------------------------------


def test_an_admin_loads_a_page_for_the_channel(
    tmp_path: Path, folder: Path, server: PageServer
) -> None:
    library = build_library(settings(tmp_path, folder))
    reply = ask(library, f"/summary load {server.url}/eternauta.html", admin=True)
    assert reply.kind is Kind.NOTICE, reply.note
    assert reply.title == f"Loaded “{ETERNAUTA_TITLE}”"
    about = reply.blocks[0].paragraphs[0]
    shown = defang(server.url)  # never a link: "http[:]//127[.]0[.]0[.]1:port"
    assert about.startswith(f"From {shown}/eternauta.html: 6 sections, in spanish.")
    assert "`/summary use eternauta-2`" in about  # "eternauta" is the folder's
    article = library.article_for("C1")
    assert article.name == "eternauta-2"
    sentences = " ".join(sentence.text for sentence in article.document.sentences)
    assert "Todos los derechos reservados" not in sentences  # the footer is dropped
    assert "Inicio" not in sentences  # and the navigation
    answer = ask(library, "¿quién dibujó la historieta?")
    assert answer.blocks[0].quotes[0].text.startswith("El Eternauta es una historieta")
    assert library.article_for("C2").name == DEFAULT
    assert ask(library, "use eternauta-2", channel="C2").kind is Kind.NOTICE


def test_loading_the_same_page_again_replaces_it(tmp_path: Path, server: PageServer) -> None:
    library = build_library(settings(tmp_path))
    ask(library, f"load {server.url}/eternauta.html", admin=True)
    ask(library, f"load {server.url}/eternauta.html", channel="C2", admin=True)
    assert library.library.names == (DEFAULT, "eternauta")


def test_a_markdown_page_served_as_text(tmp_path: Path, server: PageServer) -> None:
    library = build_library(settings(tmp_path))
    reply = ask(library, f"load <{server.url}/notes.md>", admin=True)
    assert reply.title == "Loaded “Field notes”"
    assert "in english" in reply.blocks[0].paragraphs[0]


@pytest.mark.parametrize(
    ("loaders", "user", "admin", "allowed"),
    [
        ("admins", "U1", False, False),
        ("admins", "U1", True, True),
        ("everyone", "U1", False, True),
        ("U7,U8", "U7", False, True),
        ("U7,U8", "U1", True, False),
        ("admins,U7", "U7", False, True),
        ("nobody", "U1", True, False),
    ],
)
def test_who_may_load(
    tmp_path: Path, server: PageServer, loaders: str, user: str, admin: bool, allowed: bool
) -> None:
    library = build_library(settings(tmp_path, URL_LOADERS=loaders))
    reply = ask(library, f"load {server.url}/notes.md", user=user, admin=admin)
    assert (reply.kind is Kind.NOTICE) is allowed
    if not allowed:
        assert reply.kind is Kind.ERROR
        assert "articles from a URL" in reply.note
        assert server.requests == []
        assert library.article_for("C1").name == DEFAULT


@pytest.mark.parametrize(
    ("path", "env", "problem"),
    [
        ("/big.html", {"URL_MAX_BYTES": "100000"}, "That page is over the 100,000-byte limit."),
        ("/slow.html", {"URL_READ_TIMEOUT": "0.3"}, "took too long to arrive (over 0.3 seconds)"),
        (
            "/redirect?to=http://169.254.169.254/latest/meta-data/",
            {},
            "169[.]254[.]169[.]254 is on a private or reserved network, so I won't fetch it.",
        ),
        ("/image.png", {}, "That is not a web page or text (image/png)"),
    ],
)
def test_a_refused_page_is_one_line_and_changes_nothing(
    tmp_path: Path, server: PageServer, path: str, env: dict[str, str], problem: str
) -> None:
    library = build_library(settings(tmp_path, **env))
    reply = ask(library, f"load {server.url}{path}", admin=True)
    assert reply.kind is Kind.ERROR
    assert problem in reply.note
    assert "\n" not in reply.note
    assert library.library.names == (DEFAULT,)
    assert library.article_for("C1").name == DEFAULT


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/", "not a url"]
)
def test_bad_urls(tmp_path: Path, url: str) -> None:
    reply = ask(build_library(settings(tmp_path)), f"load {url}", admin=True)
    assert reply.kind is Kind.ERROR
    assert "http://" in reply.note or "URL" in reply.note


# --- end to end through the console -------------------------------------------------------------


def console(stdin: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    for name in ("ARTICLE", "ARTICLES_DIR", "STATE_DB", "LANGUAGE", "URL_LOADERS"):
        environ.pop(name, None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "adapters"],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=120,
    )


def test_the_spanish_article_through_the_console_and_a_restart(tmp_path: Path) -> None:
    env = {"ARTICLES_DIR": str(ROOT / "examples" / "articles")}
    first = console("articles\nuse eternauta\n¿quién dibujó la historieta?\n", tmp_path, **env)
    assert first.returncode == 0, first.stderr
    assert f"`eternauta`: {ETERNAUTA_TITLE} (spanish)" in first.stdout
    assert f"This channel now reads “{ETERNAUTA_TITLE}”" in first.stdout
    assert (
        "> El Eternauta es una *historieta* de ciencia ficción escrita por Héctor Germán "
        "Oesterheld y *dibujada* por Francisco Solano López.\n  (Section 1: Introducción)"
    ) in first.stdout
    assert first.stderr == ""
    assert (tmp_path / "summary-bot.sqlite3").exists()

    again = console("/summary\nnieve\n", tmp_path, **env)  # a new process: the choice stays
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(ETERNAUTA_TITLE)
    assert "2. La nevada mortal" in again.stdout
    assert "De pronto cae una *nieve* luminosa que mata a todo el que la toca." in again.stdout


def test_loading_a_page_at_the_console(tmp_path: Path, server: PageServer) -> None:
    result = console(
        f"load {server.url}/eternauta.html\n¿Netflix usó inteligencia artificial?\n",
        tmp_path,
        URL_ALLOWED_NETWORKS="127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    assert f"Loaded “{ETERNAUTA_TITLE}”" in result.stdout
    assert "(Section 6: La serie de Netflix)" in result.stdout
    assert "*Netflix* contó que *usó* *inteligencia* *artificial* generativa" in result.stdout


def test_a_bad_articles_dir_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    result = console("", tmp_path, ARTICLES_DIR=str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"summary-bot: configuration error: ARTICLES_DIR: '{tmp_path / 'missing'}' "
        "is not a folder; create it or fix the path"
    )
