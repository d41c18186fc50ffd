"""Where a request goes: the URL's host, port and path, or a forward proxy's.

A :class:`Target` is a checked URL (``http``/``https`` only, no user name or
password; an international host name in its ASCII form); a :class:`Proxy` is
where a forward proxy listens and the ``Proxy-Authorization`` its URL implies.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bot.chat.echo import defang
from bot.sources.web_pages import FetchError, check_url

__all__ = ["MAX_HEADERS", "MAX_LINE", "Proxy", "Target", "tunnel_status"]

MAX_LINE = 65536
MAX_HEADERS = 100


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    https: bool
    host: str
    port: int
    path: str

    @property
    def shown(self) -> str:
        """The host as messages name it: never a link (see :func:`bot.chat.echo.defang`)."""
        return defang(self.host)

    @classmethod
    def of(cls, url: str) -> Target:
        parts = urlsplit(check_url(url))
        https = parts.scheme.lower() == "https"
        host = parts.hostname or ""
        try:
            host.encode("ascii")
        except UnicodeEncodeError:
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise FetchError("That host name is not valid.") from None
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(url, https, host, parts.port or (443 if https else 80), path)


@dataclass(frozen=True, slots=True)
class Proxy:
    """A forward proxy: where it listens, and the ``Proxy-Authorization`` its URL implies."""

    target: Target
    authorization: str | None

    @classmethod
    def of(cls, url: str) -> Proxy:
        parts = urlsplit(url)
        if parts.scheme.lower() != "http" or not parts.hostname:
            raise FetchError(
                "I can only load pages through an http:// proxy; please tell the bot's owner."
            )
        port = parts.port or 80
        where = Target(f"http://{parts.hostname}:{port}/", False, parts.hostname, port, "/")
        if parts.username is None:
            return cls(where, None)
        user, password = unquote(parts.username), unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return cls(where, f"Basic {token}")


def tunnel_status(reader: io.BufferedReader) -> int:
    """The status of a proxy's answer to ``CONNECT``, its headers read and dropped."""
    version, status, *_ = [*reader.readline(MAX_LINE).split(None, 2), b"", b""]
    if not version.startswith(b"HTTP/") or not status.isdigit():
        raise ValueError("not an HTTP answer")
    for _ in range(MAX_HEADERS):
        if reader.readline(MAX_LINE) in (b"\r\n", b"\n", b""):
            return int(status)
    raise ValueError("too many headers")
