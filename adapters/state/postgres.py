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
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from adapters.state.gate import StoreUnavailable
from adapters.state.postgres_admissions import Admissions
from adapters.state.postgres_schema import schema_version, tables_found
from adapters.state.postgres_stores import PostgresChoices, PostgresPages
from adapters.state.schema import (
    SCHEMA_TABLE,
    VERSION,
    check_tables,
    postgres_schema,
)
from adapters.state.url import DatabaseUrl
from bot.errors import ConfigError

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
                found = await tables_found(connection)
                version = await schema_version(connection, found, where)
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
