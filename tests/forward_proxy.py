"""A small forward proxy on 127.0.0.1 that records what went through it.

It speaks the two ways clients use a proxy: ``CONNECT host:port`` (a tunnel,
for ``https://`` and ``wss://``) and a request whose target is an absolute URL
(``GET http://host:port/path``, for ``http://`` and ``ws://``, websocket
upgrades included). Each client connection carries one request (or tunnel):
the proxy asks the server to close after answering, so a client never sends a
second request down a connection the proxy no longer reads.

With ``user`` and ``password`` it answers ``407`` to a request without the
matching ``Proxy-Authorization``. It runs in a thread of its own, like the
fake platforms, so blocking tests and the bot's event loop can both use it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import threading
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

from tests.fakes.loop_thread import LoopThread

__all__ = ["ForwardProxy", "Passed"]

_HOP_BY_HOP = ("proxy-authorization", "proxy-connection")


@dataclass(frozen=True, slots=True)
class Passed:
    """One request the proxy was asked to make: ``CONNECT`` and ``host:port``, or a URL."""

    method: str
    target: str
    authorization: str | None
    allowed: bool


class ForwardProxy:
    def __init__(self, *, user: str | None = None, password: str | None = None) -> None:
        self._credentials = (user, password) if user is not None else None
        self._loop_thread = LoopThread("forward-proxy")
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._lock = threading.Lock()
        self._passed: list[Passed] = []
        self.port = 0

    def __enter__(self) -> ForwardProxy:
        self._loop_thread.start(self._startup, 10.0)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._loop_thread.stop(self._shutdown, 10.0)

    @property
    def url(self) -> str:
        """The proxy's URL, with the credentials it asks for."""
        if self._credentials is None:
            return f"http://127.0.0.1:{self.port}"
        user, password = self._credentials
        return f"http://{user}:{password}@127.0.0.1:{self.port}"

    @property
    def passed(self) -> list[Passed]:
        with self._lock:
            return list(self._passed)

    def targets(self) -> list[str]:
        return [f"{p.method} {p.target}" for p in self.passed]

    async def _startup(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._one_request(reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.split("\r\n")[:-2]
        method, target, version = request_line.split(" ")
        headers = [tuple(line.split(":", 1)) for line in header_lines]
        auth = next((v.strip() for k, v in headers if k.lower() == "proxy-authorization"), None)
        allowed = self._allowed(auth)
        with self._lock:
            self._passed.append(Passed(method, target, auth, allowed))
        if not allowed:
            writer.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n'
                b"Connection: close\r\n\r\n"
            )
            await writer.drain()
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(host.strip("[]"), int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            url = urlsplit(target)
            up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
            up_writer.write(_origin_form(method, url.path, url.query, version, headers).encode())
        await _pipe_both(reader, writer, up_reader, up_writer)

    def _allowed(self, auth: str | None) -> bool:
        if self._credentials is None:
            return True
        user, password = self._credentials
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return auth == f"Basic {token}"


def _origin_form(
    method: str, path: str, query: str, version: str, headers: list[tuple[str, ...]]
) -> str:
    """The request as the server should see it: its path, no proxy headers, one request only."""
    upgrade = any(k.lower() == "upgrade" for k, *_ in headers)
    lines = [f"{method} {path or '/'}{'?' + query if query else ''} {version}"]
    for name, value in headers:
        if name.lower() in _HOP_BY_HOP or (name.lower() == "connection" and not upgrade):
            continue
        lines.append(f"{name}:{value}")
    if not upgrade:
        lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n"


async def _pipe_both(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
) -> None:
    try:
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
    finally:
        up_writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()
