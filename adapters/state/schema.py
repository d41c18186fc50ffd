"""The state database's schema: its tables, its version, and the check made at start-up.

One schema serves SQLite and PostgreSQL (``STATE_DB``): each channel's
article (``channel_article``), the pages loaded from URLs (``loaded_page``),
and, on PostgreSQL, where several processes share one limit, each sender's
recent commands (``rate_window``). The version lives in ``summary_bot_schema``
(one row). A database from before that table existed (version 0: the first two
tables without their ``revision`` column) is migrated; a table of ours with
other columns, or a version newer than this code, stops start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.errors import ConfigError

__all__ = [
    "SCHEMA_TABLE",
    "VERSION",
    "check_tables",
    "our_tables",
    "postgres_schema",
    "sqlite_schema",
]

#: The schema version this code reads and writes.
VERSION = 1
SCHEMA_TABLE = "summary_bot_schema"

#: Each table's columns, by version (the rate window exists on PostgreSQL only).
_COLUMNS: dict[int, dict[str, frozenset[str]]] = {
    0: {
        "channel_article": frozenset({"channel", "article", "chosen_at"}),
        "loaded_page": frozenset({"name", "url", "content_type", "body", "loaded_at"}),
    },
    1: {
        "channel_article": frozenset({"channel", "article", "chosen_at", "revision"}),
        "loaded_page": frozenset({"name", "url", "content_type", "body", "loaded_at", "revision"}),
        "rate_window": frozenset({"sender", "hits", "seen_at"}),
        SCHEMA_TABLE: frozenset({"version"}),
    },
}

_SQLITE = (
    f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS channel_article (
        channel TEXT PRIMARY KEY,
        article TEXT NOT NULL,
        chosen_at TEXT NOT NULL DEFAULT (datetime('now')),
        revision INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE IF NOT EXISTS loaded_page (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        content_type TEXT NOT NULL,
        body BLOB NOT NULL,
        loaded_at TEXT NOT NULL DEFAULT (datetime('now')),
        revision INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS channel_article_revision ON channel_article (revision)",
)

_POSTGRES = (
    f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER NOT NULL)",
    "CREATE SEQUENCE IF NOT EXISTS summary_bot_revision",
    """CREATE TABLE IF NOT EXISTS channel_article (
        channel TEXT PRIMARY KEY,
        article TEXT NOT NULL,
        chosen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        revision BIGINT NOT NULL DEFAULT nextval('summary_bot_revision')
    )""",
    """CREATE TABLE IF NOT EXISTS loaded_page (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        content_type TEXT NOT NULL,
        body BYTEA NOT NULL,
        loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        revision BIGINT NOT NULL DEFAULT nextval('summary_bot_revision')
    )""",
    """CREATE TABLE IF NOT EXISTS rate_window (
        sender TEXT PRIMARY KEY,
        hits DOUBLE PRECISION[] NOT NULL,
        seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )""",
)

#: Version 0 to 1: the revision columns.
_SQLITE_FROM_0 = (
    "ALTER TABLE channel_article ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE loaded_page ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
)


def sqlite_schema(found: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The statements that bring an SQLite file whose tables are ``found`` to :data:`VERSION`."""
    statements: tuple[str, ...] = ()
    if SCHEMA_TABLE not in found:
        if "channel_article" in found:
            statements += _SQLITE_FROM_0[:1]
        if "loaded_page" in found:
            statements += _SQLITE_FROM_0[1:]
    return (*statements, *_SQLITE)


def postgres_schema() -> tuple[str, ...]:
    """The statements that make the tables on PostgreSQL (none exist before version 1)."""
    return _POSTGRES


def check_tables(
    found: Mapping[str, frozenset[str]],
    version: int | None,
    where: str,
    *,
    rate_window: bool,
) -> None:
    """Raise a :class:`ConfigError` naming ``STATE_DB`` when ``found`` is not our schema.

    ``found`` maps each of our tables present to its columns; ``version`` is
    what ``summary_bot_schema`` says (``None`` when that table is missing).
    """
    if version is not None and version > VERSION:
        raise ConfigError(
            f"STATE_DB: {where} was written by a newer summary-bot (schema version {version}, "
            f"this one knows {VERSION}); upgrade the bot or point STATE_DB elsewhere"
        )
    expected = _COLUMNS[VERSION if version is not None else 0]
    for table, columns in sorted(found.items()):
        wanted = expected.get(table)
        if wanted is None:
            continue
        if columns != wanted:
            shown = ", ".join(sorted(columns)) or "none"
            raise ConfigError(
                f"STATE_DB: {where} has a {table} table that is not summary-bot's "
                f"(columns: {shown}); point STATE_DB at a new database"
            )
    if rate_window and version is not None and "rate_window" not in found:
        raise ConfigError(
            f"STATE_DB: {where} lacks summary-bot's rate_window table; "
            "point STATE_DB at a new database"
        )


def our_tables() -> frozenset[str]:
    """Every table name the schema uses, in any version."""
    return frozenset(name for tables in _COLUMNS.values() for name in tables)
