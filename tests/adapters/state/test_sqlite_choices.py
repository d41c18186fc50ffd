"""Each channel's article in SQLite: kept across restarts, read once, bad files answered."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from adapters.settings import Settings
from adapters.state.sqlite_choices import SqliteChoices
from bot.articles.library import Library
from bot.chat.channel_articles import ChannelArticles
from bot.errors import ConfigError, UserFacingError


def test_nothing_is_written_until_a_choice(tmp_path: Path) -> None:
    store = SqliteChoices(tmp_path / "state.db")
    assert store.get("C1") is None
    assert not store.path.exists()


def test_a_choice_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = SqliteChoices(path).check()
    first.set("C1", "eternauta")
    first.set("C2", "manual")
    first.set("C1", "manual")
    again = SqliteChoices(path).check()
    assert (again.get("C1"), again.get("C2"), again.get("C3")) == ("manual", "manual", None)


def test_choices_are_read_from_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteChoices(path).set("C1", "eternauta")
    store = SqliteChoices(path)
    assert store.get("C1") == "eternauta"
    with sqlite3.connect(path) as connection:  # another writer: not the bot's way
        connection.execute("UPDATE channel_article SET article = 'other'")
    connection.close()
    assert store.get("C1") == "eternauta"
    store.set("C2", "manual")  # the bot's own writes are seen at once
    assert store.get("C2") == "manual"


def test_load_reads_the_file_at_start_up(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteChoices(path).set("C1", "eternauta")
    store = SqliteChoices(path)
    store.load()
    path.unlink()  # what a command asks for afterwards comes from memory
    assert (store.get("C1"), store.get("C2")) == ("eternauta", None)


def test_a_warm_library_has_loaded_its_choices(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteChoices(path).set("C1", "missing-article")
    bundled = build_library(Settings()).article_for()
    library = ChannelArticles(Library([bundled]), SqliteChoices(path)).warm()
    path.unlink()
    assert library.choices.get("C1") == "missing-article"


def test_a_file_that_is_not_a_database_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ConfigError, match="not a summary-bot database"):
        SqliteChoices(path).check()


def test_an_unreadable_file_means_the_default_article(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"not sqlite at all" * 100)
    store = SqliteChoices(path)
    assert store.get("C1") is None
    assert "using the default article" in caplog.text
    with pytest.raises(UserFacingError, match="couldn't save"):
        store.set("C1", "eternauta")


def test_a_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        SqliteChoices(tmp_path / "nowhere" / "state.db").check()
