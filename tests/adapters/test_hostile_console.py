"""Hostile cases end to end at the console: what each one answers, in one short line.

Slow servers, URLs in questions, pages that name their charset only in a tag, and
``use``/``load`` with nothing after them; and a typo in ``URL_LOADERS`` stops start-up.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.articles.test_articles import console
from tests.page_server import CYRILLIC_TITLE, serve_pages

LOCAL = {"URL_ALLOWED_NETWORKS": "127.0.0.1"}


@pytest.mark.parametrize("path", ["/drip-status", "/drip-headers", "/drip-chunks"])
def test_a_page_sent_a_byte_at_a_time_is_refused_in_time(tmp_path: Path, path: str) -> None:
    with serve_pages() as pages:
        result = console(
            f"load {pages.url}{path}\nsections\n", tmp_path, URL_READ_TIMEOUT="0.5", **LOCAL
        )
        for _ in range(100):  # the server notices the hang-up at its next part
            if pages.dripped:
                break
            time.sleep(0.05)
        dripped = list(pages.dripped)
    assert result.returncode == 0, result.stderr
    assert "That page took too long to arrive (over 0.5 seconds)." in result.stdout
    assert "1. Introduction" in result.stdout  # and the next command is answered
    assert dripped and dripped[0] < 100  # cut off long before the server's 300 parts


def test_a_url_in_a_question_is_shown_dead(tmp_path: Path) -> None:
    result = console("http://evil.example/login labor\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "http[:]//evil[.]example/login" in result.stdout
    assert "evil.example" not in result.stdout and "://" not in result.stdout


def test_a_page_that_names_its_charset_only_in_a_tag_reads_right(tmp_path: Path) -> None:
    with serve_pages() as pages:
        result = console(f"load {pages.url}/cyrillic.html\nрадио\n", tmp_path, **LOCAL)
    assert result.returncode == 0, result.stderr
    assert f"Loaded “{CYRILLIC_TITLE}”" in result.stdout
    assert "а *радио* молчало" in result.stdout


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("use", "Tell me which article: `/summary use <name>`"),
        ("/summary load", "Tell me which page: `/summary load <url>`"),
        ("LOAD  ", "Tell me which page: `/summary load <url>`"),
    ],
)
def test_use_and_load_with_nothing_after_them_get_their_usage(
    tmp_path: Path, line: str, usage: str
) -> None:
    result = console(f"{line}\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert usage in result.stdout
    assert "Nothing in the article matches" not in result.stdout


@pytest.mark.parametrize(
    ("loaders", "named"),
    [
        ("admin", "'admin' is neither everyone, admins, nobody nor a user ID"),
        ("admins,evryone", "'evryone' is neither"),
        ("U0123ABCD, bob", "'bob' is neither"),
    ],
)
def test_a_typo_in_url_loaders_stops_start_up_naming_it(
    tmp_path: Path, loaders: str, named: str
) -> None:
    result = console("", tmp_path, URL_LOADERS=loaders)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("summary-bot: configuration error: URL_LOADERS: ")
    assert named in line
    assert "did you mean" in line or "bob" in line
