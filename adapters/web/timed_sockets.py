"""Sockets whose every send and read ends by one deadline, for :mod:`http.client`.

A deadline bounds time, not just silence: a server that sends its status
line, headers or body a byte at a time runs into it like one that sends
nothing.
"""

from __future__ import annotations

import io
import socket
import time
from typing import Any

__all__ = ["CHUNK", "Deadline", "TimedSocket"]

CHUNK = 64 * 1024


class Deadline:
    """The moment a fetch must be over by; :meth:`left` raises once it has passed."""

    __slots__ = ("_end",)

    def __init__(self, seconds: float, *, within: Deadline | None = None) -> None:
        self._end = time.monotonic() + seconds
        if within is not None:
            self._end = min(self._end, within._end)

    def left(self) -> float:
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the fetch's deadline has passed")
        return remaining


class TimedReader(io.RawIOBase):
    """Reads a socket, each read waiting at most until the deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.left())
        return self._sock.recv_into(buffer)


class TimedSocket:
    """The socket :mod:`http.client` talks through: every send and read within one deadline.

    ``http.client`` reads the status line, the headers and the body (chunked or
    not) through :meth:`makefile`, so a server that sends them a byte at a time
    runs into the same deadline as one that sends nothing.
    """

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.left())  # sendall's timeout covers the whole send
        self._sock.sendall(data)

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(TimedReader(self._sock, self._deadline), CHUNK)

    def close(self) -> None:
        """Nothing: ``http.client`` closes its connection while the answer is still being
        read (when the server will close it), so the fetcher closes the socket itself."""
