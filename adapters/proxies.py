"""Forward proxies for outgoing connections: ``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``.

As curl and most HTTP clients read them: an ``https://`` or ``wss://`` URL
goes through ``HTTPS_PROXY``, an ``http://`` or ``ws://`` URL through
``HTTP_PROXY``, unless its host is listed in ``NO_PROXY``. ``NO_PROXY`` is a
comma-separated list of host names (``example.com`` also covers
``chat.example.com``; a leading ``.`` or ``*.`` means the same), IP addresses,
networks (``10.0.0.0/8``), any of them with ``:port``, or ``*`` for every
host. A proxy URL may carry a user name and password
(``http://user:secret@proxy:3128``); the password is treated as a secret.

:meth:`Proxies.for_url` gives the proxy for one URL, or ``None`` to connect
directly; the Slack and Discord clients and ``summary-bot check`` ask it for
each endpoint they use.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

__all__ = ["Proxies", "parse_no_proxy", "parse_proxy"]

_SECURE = frozenset({"https", "wss"})
_PLAIN = frozenset({"http", "ws"})


@dataclass(frozen=True, slots=True, repr=False)
class Proxies:
    """The proxy settings; the default is no proxy at all."""

    https: str | None = None
    http: str | None = None
    no_proxy: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"Proxies(https={_masked(self.https)!r}, http={_masked(self.http)!r}, "
            f"no_proxy={self.no_proxy!r})"
        )

    def for_url(self, url: str) -> str | None:
        """The proxy URL to reach ``url`` through, or ``None`` to connect directly."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        proxy = self.https if scheme in _SECURE else self.http if scheme in _PLAIN else None
        if proxy is None or self.bypasses(parts.hostname or "", _port(parts.port, scheme)):
            return None
        return proxy

    def bypasses(self, host: str, port: int | None = None) -> bool:
        """Whether ``NO_PROXY`` lists ``host`` (and ``port``, when the entry names one)."""
        host = host.lower().strip("[]").rstrip(".")
        return any(_matches(entry, host, port) for entry in self.no_proxy)

    def secrets(self) -> list[str]:
        """The passwords in the proxy URLs, for the log's redaction."""
        found = []
        for proxy in (self.https, self.http):
            password = urlsplit(proxy).password if proxy else None
            if password:
                found += [password, unquote(password)]
        return found


def parse_proxy(text: str) -> str:
    """A proxy URL: ``http://host:port`` (``host:port`` alone means the same) or ``https://``."""
    url = text if "://" in text else f"http://{text}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("must be a proxy URL such as http://proxy.example.com:3128")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError("has a port that is not a number") from None
    return url


def parse_no_proxy(text: str) -> tuple[str, ...]:
    """The ``NO_PROXY`` entries, lower-cased, without blanks."""
    return tuple(entry.strip().lower() for entry in text.split(",") if entry.strip())


def _matches(entry: str, host: str, port: int | None) -> bool:
    if entry == "*":
        return True
    entry, wanted_port = _split_port(entry)
    if wanted_port is not None and wanted_port != port:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        try:
            return address in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    domain = entry.removeprefix("*").lstrip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))


def _split_port(entry: str) -> tuple[str, int | None]:
    """``host:port`` or ``[v6]:port`` into its parts; a bare IPv6 address has no port."""
    if entry.startswith("["):
        address, _, rest = entry[1:].partition("]")
        port = rest.removeprefix(":")
        return address, int(port) if port.isdigit() else None
    if entry.count(":") == 1:
        name, port = entry.split(":")
        return name, int(port) if port.isdigit() else None
    return entry, None


def _port(port: int | None, scheme: str) -> int | None:
    if port is not None:
        return port
    return 443 if scheme in _SECURE else 80 if scheme in _PLAIN else None


def _masked(proxy: str | None) -> str | None:
    if proxy is None:
        return None
    parts = urlsplit(proxy)
    if parts.password is None:
        return proxy
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()
