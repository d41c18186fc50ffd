"""A real PostgreSQL server for the tests, started from the machine's binaries.

``initdb``, ``pg_ctl`` and ``postgres`` are found on ``PATH`` or under
``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root, so as root the
server runs as the ``postgres`` user (or ``nobody``) through ``setpriv``. The
data folder is a fresh one in the temporary folder; the server listens on
127.0.0.1 only, on a free port, and asks for a password.

When no server can start, tests that need one are skipped, unless
``SUMMARY_BOT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``): then they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

__all__ = ["PASSWORD", "USER", "PostgresServer", "postgres_or_skip"]

USER = "summary"
PASSWORD = "pg-test-secret-4711"
REQUIRE = "SUMMARY_BOT_REQUIRE_POSTGRES"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder: start, stop, start again, remove."""

    def __init__(self) -> None:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) on PATH")
        self._initdb, self._pg_ctl = initdb, pg_ctl
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="summary-bot-pg-"))
        self.data = self.folder / "data"
        self._as_user: list[str] = []
        self._owner: tuple[int, int] | None = None
        if os.geteuid() == 0:
            account = _unprivileged_account()
            self._owner = (account.pw_uid, account.pw_gid)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as_user = [
                "setpriv",
                f"--reuid={account.pw_uid}",
                f"--regid={account.pw_gid}",
                "--clear-groups",
                "--",
            ]
        try:
            self._init()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def __repr__(self) -> str:
        return f"PostgresServer(port={self.port})"

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self._as_user, *command],
            check=True,
            capture_output=True,
            timeout=120,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
        )

    def _init(self) -> None:
        secret = self.folder / "pw"
        secret.write_text(PASSWORD + "\n", encoding="utf-8")
        if self._owner is not None:
            os.chown(secret, *self._owner)
        self._run(
            self._initdb,
            "-D",
            str(self.data),
            "-U",
            USER,
            f"--pwfile={secret}",
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync",
        )
        secret.unlink()

    def start(self) -> None:
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100 -c shared_buffers=16MB"
        )
        self._run(
            self._pg_ctl,
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(self._pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A new empty database; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def wait_accepting(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


def _unprivileged_account() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("no unprivileged account (postgres or nobody) to run PostgreSQL as")


@contextlib.contextmanager
def postgres_or_skip() -> Iterator[PostgresServer]:
    """A running server; skips (or fails, with SUMMARY_BOT_REQUIRE_POSTGRES=1) without one."""
    try:
        server = PostgresServer()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        _unavailable(f"PostgreSQL cannot be set up here: {_reason(error)}")
    try:
        try:
            server.start()
        except (OSError, subprocess.SubprocessError) as error:
            log = server.folder / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            _unavailable(f"PostgreSQL did not start: {_reason(error)}\n{tail}")
        yield server
    finally:
        server.remove()


def _reason(error: BaseException) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        return f"{error} {error.stderr!r}"
    return str(error)


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{reason} ({REQUIRE}=1)", pytrace=False)
    pytest.skip(reason)
