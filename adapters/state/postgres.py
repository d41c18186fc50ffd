"""``STATE_DB`` on PostgreSQL: choices, loaded pages and rate limits shared by every process.

psycopg 3's asyncio driver with a connection pool (psycopg_pool), on an event
loop of its own in a daemon thread, so that:

- the chat event loop only awaits a future (:meth:`PostgresState.admit`): a
  round trip that counts the sender's command in ``rate_window`` (a sliding
  window, kept under the row's lock, so the limit holds across processes) and
  reads the channel's choice in the same statement, so the answer is what every
  other process would give; commands that arrive together are gathered on the
  chat loop and share one round trip (:mod:`adapters.state.postgres_admissions`);
- the core's worker threads (``use``, ``load``) and start-up call the same
  code and wait for it (:class:`PostgresChoices`, :class:`PostgresPages`).

A connection that fails (the server restarted) makes the pool check all its
idle connections, and the work is tried once more. While the server is away,
each command costs one apology (:class:`~adapters.state.gate.StoreUnavailable`)
within :data:`TIMEOUT`; a ``use`` is acknowledged only once it is committed.
Every message names ``STATE_DB`` and never the password.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from adapters.state.gate import StoreUnavailable
from adapters.state.postgres_admissions import Admissions
from adapters.state.schema import (
    SCHEMA_TABLE,
    VERSION,
    check_tables,
    our_tables,
    postgres_schema,
)
from adapters.state.url import DatabaseUrl
from bot.errors import ConfigError, UserFacingError
from bot.sources.web_pages import Page

__all__ = ["TIMEOUT", "PostgresChoices", "PostgresPages", "PostgresState"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Connection = psycopg.AsyncConnection[tuple[Any, ...]]

#: Seconds a command waits for the database before it is answered with an apology.
TIMEOUT = 1.5
#: Seconds start-up waits to connect.
CONNECT_TIMEOUT = 10
#: Any 64-bit number, the same in every process: the lock taken while the schema is made.
_SCHEMA_LOCK = 0x73756D6D617279
#: Admissions between two sweeps of senders idle longer than the window.
_SWEEP_EVERY = 1000


class PostgresState:
    """The pool, its event loop, and the stores that share them."""

    def __init__(
        self,
        url: DatabaseUrl,
        *,
        limit: int,
        window: float,
        pool_size: int = 8,
        timeout: float = TIMEOUT,
    ) -> None:
        self.url = url
        self.limit = limit
        self.window = window
        self.timeout = timeout
        self._pool_size = pool_size
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="summary-state", daemon=True
        )
        self._pool: AsyncConnectionPool[Connection] | None = None
        self._admitted = 0
        self.choices = PostgresChoices(self)
        self.pages = PostgresPages(self)
        self._admissions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Admissions] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return f"PostgresState({self.url.shown!r})"

    # ------------------------------------------------------------ lifecycle

    def open(self) -> PostgresState:
        """Connect, check the schema (make it in a new database); a ConfigError names STATE_DB."""
        self._thread.start()
        try:
            self.call(self._open(), CONNECT_TIMEOUT * 2)
        except BaseException:
            self.close()
            raise
        return self

    async def _open(self) -> None:
        try:
            first = await psycopg.AsyncConnection.connect(
                self.url.reveal(), connect_timeout=CONNECT_TIMEOUT, autocommit=True
            )
        except psycopg.Error as error:
            raise ConfigError(
                f"STATE_DB: cannot connect to {self.url.shown} ({self._reason(error)})"
            ) from None
        async with first:
            await self._prepare(first)
        pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            self.url.reveal(),
            min_size=self._pool_size,  # opened up front: a burst never waits for a login
            max_size=self._pool_size,
            # A counted command is not worth a disk flush; a choice or a page is
            # (see :meth:`execute`, which asks for it).
            kwargs={
                "autocommit": True,
                "connect_timeout": CONNECT_TIMEOUT,
                "options": "-c synchronous_commit=off",
            },
            timeout=self.timeout,
            open=False,
            name="summary-state",
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            await pool.close()
            raise ConfigError(
                f"STATE_DB: cannot open {self._pool_size} connections to {self.url.shown} "
                "in time (is max_connections too low?)"
            ) from None
        self._pool = pool

    async def _prepare(self, connection: Connection) -> None:
        """Check the schema under a lock every process takes; make it if there is none."""
        where = self.url.shown
        try:
            async with connection.transaction():
                await connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                found = await _tables(connection)
                version = await _version(connection, found, where)
                check_tables(found, version, where, rate_window=True)
                if version is None:
                    for statement in postgres_schema():
                        await connection.execute(statement)
                    await connection.execute(
                        f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (%s)", (VERSION,)
                    )
                    log.info("made the summary-bot tables in %s", where)
        except psycopg.Error as error:
            raise ConfigError(f"STATE_DB: cannot set up {where} ({self._reason(error)})") from None

    def close(self) -> None:
        if self._thread.is_alive():
            if self._pool is not None:
                pool, self._pool = self._pool, None
                try:
                    self.call(pool.close(timeout=2), 5)
                except Exception as error:
                    log.warning("closing the %s pool: %s", self.url.shown, error)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        if not self._loop.is_running():
            self._loop.close()

    # ------------------------------------------------------------ running work

    def call(self, work: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``work`` on the store's loop and wait for it (from any other thread)."""
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        return future.result(timeout if timeout is not None else self.timeout * 3)

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on the store's loop and await it from another event loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))

    async def _with_connection(self, work: Callable[[Connection], Awaitable[T]]) -> T:
        """``work`` on a pooled connection; tried again once if the connection was broken."""
        pool = self._pool
        if pool is None:
            raise StoreUnavailable(f"{self.url.shown} is closed")
        for attempt in (1, 2):
            try:
                async with pool.connection(timeout=self.timeout * 0.7) as connection:
                    return await work(connection)
            except PoolTimeout:
                raise StoreUnavailable(f"no connection to {self.url.shown}") from None
            except psycopg.OperationalError as error:
                if attempt == 2:
                    raise StoreUnavailable(self._reason(error)) from None
                await pool.check()  # drop the other connections the restart broke
        raise AssertionError("unreachable")  # pragma: no cover

    def _reason(self, error: BaseException) -> str:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        text = text.removeprefix("connection failed: ")
        return self.url.scrub(text)

    # ------------------------------------------------------------ per command

    async def admit(self, channel: str, sender: str) -> float | None:
        """See :meth:`adapters.state.gate.Gate.admit`.

        Commands are gathered on the caller's loop, so a batch crosses to the
        store's loop once, not each command.
        """
        loop = asyncio.get_running_loop()
        admissions = self._admissions.get(loop)
        if admissions is None:
            admissions = Admissions(
                self._rows_from_elsewhere,
                self.choices.remember,
                limit=self.limit,
                window=self.window,
            )
            self._admissions[loop] = admissions
        wait = await asyncio.wait_for(admissions.admit(channel, sender), self.timeout)
        self._admitted += 1
        if self._admitted % _SWEEP_EVERY == 0:
            asyncio.run_coroutine_threadsafe(self._sweep(), self._loop)
        return wait

    async def _rows_from_elsewhere(
        self, query: str, params: dict[str, Any]
    ) -> list[tuple[Any, ...]]:
        return await self.run(self._rows(query, params))

    async def _rows(self, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """One statement's rows, on a pooled connection (for the admissions)."""

        async def work(connection: Connection) -> list[tuple[Any, ...]]:
            cursor = await connection.execute(query, params)
            return await cursor.fetchall()

        return await self._with_connection(work)

    async def _sweep(self) -> None:
        async def work(connection: Connection) -> None:
            await connection.execute(
                "DELETE FROM rate_window WHERE seen_at < now() - make_interval(secs => %s)",
                (self.window,),
            )

        try:
            await self._with_connection(work)
        except StoreUnavailable as error:
            log.info("could not sweep the rate windows: %s", error)

    async def ping(self) -> bool:
        """Whether the database answers now (for readiness checks)."""

        async def work(connection: Connection) -> None:
            await connection.execute("SELECT 1")

        try:
            await self.run(self._with_connection(work))
        except StoreUnavailable:
            return False
        return True

    # ------------------------------------------------------------ for the stores

    def execute(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement from a worker thread; its rows (none for a write).

        A write is acknowledged only once it is on disk (``synchronous_commit``).
        """

        async def work(connection: Connection) -> list[tuple[Any, ...]]:
            async with connection.transaction():
                await connection.execute("SET LOCAL synchronous_commit TO on")
                cursor = await connection.execute(query, params)
                return await cursor.fetchall() if cursor.description is not None else []

        return self.call(self._with_connection(work))


class PostgresChoices:
    """A :class:`bot.chat.channel_choices.ChoiceStore` on PostgreSQL, answered from memory.

    The memory holds what :meth:`load` read at start-up, what this process
    wrote, and the channel's choice as the database said at each command's
    admission (:meth:`PostgresState.admit`).
    """

    def __init__(self, state: PostgresState) -> None:
        self._state = state
        self._names: dict[str, str] = {}
        self._loaded = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PostgresChoices({self._state.url.shown!r})"

    def load(self) -> None:
        """Read every choice (once tried, never again on a ``get``: that may run on an
        event loop; the admissions keep each channel fresh)."""
        self._loaded = True
        try:
            rows = self._state.execute("SELECT channel, article FROM channel_article")
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the choices in STATE_DB: %s", error)
            return
        with self._lock:
            self._names = {str(channel): str(article) for channel, article in rows}

    def get(self, channel: str) -> str | None:
        if not self._loaded:  # read once, at the first question (start-up loads them first)
            self.load()
        with self._lock:
            return self._names.get(channel)

    def remember(self, channel: str, name: str | None) -> None:
        """What the database says ``channel`` reads now."""
        with self._lock:
            if name is None:
                self._names.pop(channel, None)
            else:
                self._names[channel] = name

    def set(self, channel: str, name: str) -> None:
        try:
            self._state.execute(
                "INSERT INTO channel_article (channel, article) VALUES (%s, %s) "
                "ON CONFLICT (channel) DO UPDATE SET article = excluded.article, "
                "chosen_at = now(), revision = nextval('summary_bot_revision')",
                (channel, name),
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot save a choice in STATE_DB: %s", error)
            raise UserFacingError(
                "I couldn't save this channel's choice just now; please try again in a moment."
            ) from None
        self.remember(channel, name)


class PostgresPages:
    """A :class:`bot.sources.web_pages.PageStore` on PostgreSQL."""

    def __init__(self, state: PostgresState) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"PostgresPages({self._state.url.shown!r})"

    def save(self, name: str, page: Page) -> None:
        try:
            self._state.execute(
                "INSERT INTO loaded_page (name, url, content_type, body) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET url = excluded.url, "
                "content_type = excluded.content_type, body = excluded.body, "
                "loaded_at = now(), revision = nextval('summary_bot_revision')",
                (name, page.url, page.content_type, page.data),
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot keep the page %s in STATE_DB: %s", name, error)

    def forget(self, names: Iterable[str]) -> None:
        gone = list(names)
        if not gone:
            return
        try:
            self._state.execute("DELETE FROM loaded_page WHERE name = ANY(%s)", (gone,))
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot forget pages in STATE_DB: %s", error)

    def listing(self) -> dict[str, int] | None:
        try:
            rows = self._state.execute("SELECT name, revision FROM loaded_page ORDER BY revision")
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the pages kept in STATE_DB: %s", error)
            return None
        return {str(name): int(revision) for name, revision in rows}

    def page(self, name: str) -> Page | None:
        try:
            rows = self._state.execute(
                "SELECT url, content_type, body FROM loaded_page WHERE name = %s", (name,)
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the page %s kept in STATE_DB: %s", name, error)
            return None
        if not rows:
            return None
        url, content_type, body = rows[0]
        return Page(str(url), bytes(body), str(content_type))

    def pages(self) -> list[tuple[str, Page]]:
        return [
            (name, page) for name in self.listing() or {} if (page := self.page(name)) is not None
        ]


async def _tables(connection: Connection) -> dict[str, frozenset[str]]:
    cursor = await connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        (sorted(our_tables()),),
    )
    found: dict[str, set[str]] = {}
    for table, column in await cursor.fetchall():
        found.setdefault(str(table), set()).add(str(column))
    return {table: frozenset(columns) for table, columns in found.items()}


async def _version(
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
