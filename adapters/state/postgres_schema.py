"""What a PostgreSQL ``STATE_DB`` holds already: summary-bot's tables, and their version.

A database with tables named like ours but no version table, or a version
table that is not ours, stops start-up with a :class:`ConfigError` that says
to point ``STATE_DB`` at a new database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.state.schema import SCHEMA_TABLE, our_tables
from bot.errors import ConfigError

if TYPE_CHECKING:
    import psycopg

    Connection = psycopg.AsyncConnection[tuple[Any, ...]]

__all__ = ["schema_version", "tables_found"]


async def tables_found(connection: Connection) -> dict[str, frozenset[str]]:
    cursor = await connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        (sorted(our_tables()),),
    )
    found: dict[str, set[str]] = {}
    for table, column in await cursor.fetchall():
        found.setdefault(str(table), set()).add(str(column))
    return {table: frozenset(columns) for table, columns in found.items()}


async def schema_version(
    connection: Connection, found: dict[str, frozenset[str]], where: str
) -> int | None:
    if SCHEMA_TABLE not in found:
        if found:
            shown = ", ".join(sorted(found))
            raise ConfigError(
                f"STATE_DB: {where} has tables named like summary-bot's ({shown}) but no "
                f"{SCHEMA_TABLE}; point STATE_DB at a new database"
            )
        return None
    cursor = await connection.execute(f"SELECT version FROM {SCHEMA_TABLE}")
    rows = await cursor.fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise ConfigError(
            f"STATE_DB: {where} has a {SCHEMA_TABLE} table that is not summary-bot's; "
            "point STATE_DB at a new database"
        )
    return int(rows[0][0])
