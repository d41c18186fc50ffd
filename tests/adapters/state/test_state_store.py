"""``STATE_DB``: its schema version checked at start-up, on SQLite and on a real PostgreSQL.

A wrong or foreign schema, a newer version, a bad password or no server stops
start-up with one line naming ``STATE_DB`` and never the password; a file from
before the version table is migrated; two stores on one database see each
other's choices; the rate limit on PostgreSQL is one for every process.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import psycopg
import pytest

from adapters.settings import Settings
from adapters.state.postgres import PostgresState
from adapters.state.schema import VERSION
from adapters.state.sqlite_choices import SqliteChoices
from adapters.state.sqlite_pages import SqlitePages
from adapters.state.store import open_state
from adapters.state.url import DatabaseUrl
from bot.errors import ConfigError, UserFacingError
from bot.sources.web_pages import Page
from tests import postgres_server
from tests.adapters.state.test_one_process import start_bot
from tests.conftest import ROOT
from tests.postgres_server import PASSWORD, PostgresServer
from tests.sources.test_kept_pages import DEFAULT, Pages, library_with, note

WRONG_CHOICES = "CREATE TABLE channel_article (id INTEGER PRIMARY KEY, name TEXT)"


def sqlite_file(path: Path, *statements: str) -> Path:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return path


# ---------------------------------------------------------------- SQLite


def test_a_wrong_channel_article_table_stops_start_up(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "state.db", WRONG_CHOICES)
    with pytest.raises(ConfigError) as raised:
        Settings.from_environ({"STATE_DB": str(path)})
    message = str(raised.value)
    assert message.startswith("STATE_DB:") and "channel_article" in message
    assert "\n" not in message


def test_a_newer_schema_version_stops_start_up(tmp_path: Path) -> None:
    path = sqlite_file(
        tmp_path / "state.db",
        "CREATE TABLE summary_bot_schema (version INTEGER NOT NULL)",
        f"INSERT INTO summary_bot_schema VALUES ({VERSION + 1})",
    )
    with pytest.raises(ConfigError, match=r"STATE_DB: .* newer summary-bot"):
        Settings.from_environ({"STATE_DB": str(path)})


def test_a_file_from_before_the_version_table_is_migrated(tmp_path: Path) -> None:
    path = sqlite_file(
        tmp_path / "state.db",
        "CREATE TABLE channel_article (channel TEXT PRIMARY KEY, article TEXT NOT NULL, "
        "chosen_at TEXT NOT NULL DEFAULT (datetime('now')))",
        "INSERT INTO channel_article (channel, article) VALUES ('C1', 'eternauta')",
    )
    settings = Settings.from_environ({"STATE_DB": str(path)})
    assert settings.storage.state_db == path
    store = SqliteChoices(path)
    assert store.get("C1") == "eternauta"
    with sqlite3.connect(path) as connection:
        version = connection.execute("SELECT version FROM summary_bot_schema").fetchall()
        mode = connection.execute("PRAGMA journal_mode").fetchone()
    connection.close()
    assert version == [(VERSION,)]
    assert mode == ("wal",)


def test_summary_bot_stops_at_start_up_on_a_wrong_table(tmp_path: Path) -> None:
    sqlite_file(tmp_path / "state.db", WRONG_CHOICES)
    bot = start_bot(tmp_path, "STATE_DB=state.db\n")
    assert bot.wait(timeout=60) == 2
    err = (tmp_path / "stderr").read_text()
    assert err.startswith("summary-bot: configuration error: STATE_DB:")
    assert "channel_article" in err and err.count("\n") == 1


def test_two_stores_on_one_file_see_each_other_after_a_refresh(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first, second = SqliteChoices(path), SqliteChoices(path)
    first.set("C1", "eternauta")
    second.load()
    assert second.get("C1") == "eternauta"
    first.set("C1", "manual")
    first.set("C2", "report")
    assert second.get("C1") == "eternauta"  # answered from memory until the next look
    second.refresh()
    assert (second.get("C1"), second.get("C2")) == ("manual", "report")
    second.refresh()  # nothing new: memory as it was
    assert second.get("C2") == "report"
    first.close()
    second.close()


def test_pages_kept_by_one_store_are_listed_by_another_with_new_revisions(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first, second = SqlitePages(path), SqlitePages(path)
    first.save("notes", Page("https://example.org/notes.md", b"# Notes\n\nOne.", "text/markdown"))
    listed = second.listing()
    first.save("notes", Page("https://example.org/notes.md", b"# Notes\n\nTwo.", "text/markdown"))
    again = second.listing()
    assert list(listed) == list(again) == ["notes"]
    assert again["notes"] > listed["notes"]
    page = second.page("notes")
    assert page is not None and page.data.endswith(b"Two.")


# ---------------------------------------------------------------- PostgreSQL


def open_pg(url: str, limit: int = 10) -> PostgresState:
    return PostgresState(DatabaseUrl(url), limit=limit, window=60.0).open()


def test_postgres_keeps_choices_and_pages_for_every_process(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    first, second = open_pg(url), open_pg(url)
    try:
        first.choices.set("C1", "eternauta")
        page = Page("https://example.org/notes.md", b"# Notes\n\nThe harvest.", "text/markdown")
        first.pages.save("notes", page)
        second.choices.load()
        assert second.choices.get("C1") == "eternauta"
        assert list(second.pages.listing()) == ["notes"]
        assert second.pages.page("notes") == page
        first.choices.set("C1", "manual")
        assert second.choices.get("C1") == "eternauta"  # memory, until the next command
        assert asyncio.run(second.admit("C1", "slack:U1")) is None
        assert second.choices.get("C1") == "manual"
        first.pages.forget(["notes"])
        assert second.pages.listing() == {}
    finally:
        first.close()
        second.close()


def test_postgres_rate_limit_is_one_for_every_process(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    first, second = open_pg(url, limit=3), open_pg(url, limit=3)

    async def commands() -> list[float | None]:
        return [await (first, second)[n % 2].admit("C1", "slack:U1") for n in range(5)]

    try:
        waits = asyncio.run(commands())
        other = asyncio.run(second.admit("C1", "slack:U2"))
    finally:
        first.close()
        second.close()
    assert waits[:3] == [None, None, None]
    assert all(wait is not None and 0 < wait <= 60 for wait in waits[3:])
    assert other is None


def test_a_postgres_database_with_a_wrong_table_stops_start_up(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE channel_article (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(ConfigError) as raised:
        open_pg(url)
    message = str(raised.value)
    assert message.startswith("STATE_DB:") and "channel_article" in message
    assert PASSWORD not in message and "\n" not in message


def test_a_newer_postgres_schema_stops_start_up(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    open_pg(url).close()  # makes the tables
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("UPDATE summary_bot_schema SET version = version + 1")
    with pytest.raises(ConfigError, match="newer summary-bot"):
        open_pg(url)


@pytest.mark.parametrize("fault", ["password", "port", "database"])
def test_an_unusable_postgres_url_stops_start_up_without_the_password(
    postgres: PostgresServer, fault: str
) -> None:
    url = {
        "password": postgres.url(password="not-the-" + PASSWORD),
        "port": postgres.url().replace(f":{postgres.port}/", ":1/"),
        "database": postgres.url("no_such_database"),
    }[fault]
    with pytest.raises(ConfigError) as raised:
        open_state(DatabaseUrl(url), limit=10, window=60.0)
    message = str(raised.value)
    assert message.startswith("STATE_DB: cannot connect to postgresql://summary:***@127.0.0.1")
    assert PASSWORD not in message and "\n" not in message


def test_summary_bot_names_state_db_when_postgres_refuses(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    bot = start_bot(tmp_path, f"STATE_DB={postgres.url(password='wrong-' + PASSWORD)}\n")
    assert bot.wait(timeout=60) == 2
    err = (tmp_path / "stderr").read_text()
    assert err.startswith("summary-bot: configuration error: STATE_DB: cannot connect")
    assert err.count("\n") == 1 and PASSWORD not in err


def test_a_choice_is_refused_politely_while_postgres_is_away(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    state = PostgresState(DatabaseUrl(url), limit=10, window=60.0, timeout=0.5).open()
    try:
        state.choices.set("C1", "eternauta")
        postgres.stop()
        try:
            with pytest.raises(UserFacingError, match="couldn't save"):
                state.choices.set("C1", "manual")
        finally:
            postgres.start()
        postgres.wait_accepting()
        for _ in range(20):  # the pool reconnects by itself
            try:
                state.choices.set("C2", "manual")
                break
            except UserFacingError:
                continue
        state.choices.load()
        assert (state.choices.get("C1"), state.choices.get("C2")) == ("eternauta", "manual")
    finally:
        state.close()


def test_the_url_is_shown_without_its_password() -> None:
    url = DatabaseUrl("postgresql://bot:s3cr%40t@db.internal:5432/summary")
    assert url.shown == "postgresql://bot:***@db.internal:5432/summary"
    assert "s3cr" not in repr(url)
    assert url.scrub("failed for postgresql://bot:s3cr%40t@db.internal:5432/summary: s3cr@t") == (
        "failed for postgresql://bot:***@db.internal:5432/summary: ***"
    )
    with pytest.raises(ConfigError, match="STATE_DB"):
        Settings.from_environ({"STATE_DB": "postgresql://"})


async def test_each_store_says_whether_it_is_reachable(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    sqlite = open_state(tmp_path / "state.db", limit=10, window=60.0)
    broken = open_state(tmp_path / "broken.db", limit=10, window=60.0)
    (tmp_path / "broken.db").write_bytes(b"not a database" * 100)
    pg = await asyncio.to_thread(
        open_state, DatabaseUrl(postgres.new_database()), limit=10, window=60.0
    )
    try:
        assert await sqlite.reachable() and await pg.reachable()
        assert not await broken.reachable()
    finally:
        sqlite.close()
        broken.close()
        await asyncio.to_thread(pg.close)


def test_commands_at_once_share_round_trips_and_still_count_one_by_one(
    postgres: PostgresServer,
) -> None:
    url = postgres.new_database()
    first, second = open_pg(url, limit=5), open_pg(url, limit=5)
    senders = [f"slack:U{n}" for n in range(6)]

    async def burst() -> list[float | None]:
        asked = [
            (first, second)[n % 2].admit(f"C{n % 3}", sender)
            for n in range(12)
            for sender in senders
        ]
        return list(await asyncio.gather(*asked))

    try:
        waits = [asyncio.run(burst()) for _ in range(3)]
    finally:
        first.close()
        second.close()
    for sender in range(len(senders)):
        mine = [wait for n, wait in enumerate(waits[0]) if n % len(senders) == sender]
        assert sum(wait is None for wait in mine) == 5, mine
        assert all(0 < wait <= 60 for wait in mine if wait is not None)
    assert all(wait is not None for wait in waits[1] + waits[2])  # the windows are full


def test_pages_stay_loaded_while_the_store_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    library = library_with(SqlitePages(path), Pages([note(1)]))
    library.load(note(1).url, "C1")
    path.unlink()
    (tmp_path / "state.sqlite3-wal").unlink(missing_ok=True)
    path.write_bytes(b"not a database any more" * 100)
    assert library.catch_up("C1").library.names == (DEFAULT, "note-1")
    assert library.article_for("C1").name == "note-1"


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_without_postgresql_the_tests_skip_or_with_the_ci_setting_fail(
    monkeypatch: pytest.MonkeyPatch, required: str, outcome: str
) -> None:
    monkeypatch.setattr(postgres_server, "_binary", lambda name: None)
    monkeypatch.setenv(postgres_server.REQUIRE, required)
    with pytest.raises(BaseException) as raised, postgres_server.postgres_or_skip():
        pass
    assert type(raised.value).__name__ == outcome
    assert "PostgreSQL cannot be set up here" in str(raised.value)


def test_ci_requires_postgresql() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"{postgres_server.REQUIRE}=1" in script


def test_a_new_process_reads_the_choices_at_its_first_question(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    first = open_pg(url)
    first.choices.set("console", "eternauta")
    first.close()
    again = open_pg(url)
    try:
        assert again.choices.get("console") == "eternauta"  # no load() called (the console)
    finally:
        again.close()
