"""A fetcher that is safe to expose to a chat: ``/summary load <url>``.

Anyone who may load can make the bot send a request, so :class:`SafeFetcher`:

- takes ``http`` and ``https`` URLs only, without user names or passwords;
- resolves the host name itself and refuses when any address it resolves to is
  private, loopback, link-local (which includes the cloud metadata address
  169.254.169.254), CGNAT, multicast, reserved or unspecified, in IPv4 or
  IPv6, including IPv4 addresses embedded in IPv6 (``::ffff:10.0.0.1``,
  6to4, Teredo, NAT64), unless ``URL_ALLOWED_NETWORKS`` lists the address;
- connects to the address it checked (so a DNS answer that changes between
  the check and the connection cannot slip through), sending the host name in
  the ``Host`` header and TLS SNI and verifying the certificate against it;
- checks every redirect again, and follows at most :data:`MAX_REDIRECTS`;
- bounds time, not just silence: each connection attempt gets
  ``URL_CONNECT_TIMEOUT``; each answer, from the TLS handshake to its last
  byte, ``URL_READ_TIMEOUT``; and the whole fetch, redirects included, the two
  added up. Every read waits only until the deadline, so a server that sends
  its status line, headers or body a byte at a time is cut off like one that
  sends nothing. The body's size is counted while it streams in
  (``URL_MAX_BYTES``);
- accepts HTML, Markdown and plain text content types only.

It is synchronous: the core calls it from its worker thread, never from an
event loop. :meth:`SafeFetcher.close` (on shutdown) ends the fetches in
flight at once and refuses new ones. Every refusal is a
:class:`~bot.sources.web_pages.FetchError` with a short message fit for chat.
"""

from __future__ import annotations

import base64
import contextlib
import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from adapters.proxies import Proxies
from bot.chat.echo import defang
from bot.sources.web_pages import CONTENT_KINDS, FetchError, Page, check_url, media_type

if TYPE_CHECKING:
    import http.client

__all__ = ["MAX_REDIRECTS", "FetchLimits", "SafeFetcher", "is_refused", "parse_networks"]

MAX_REDIRECTS = 5
USER_AGENT = "summary-bot/0.1 (self-hosted article summarizer)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CHUNK = 64 * 1024
_MAX_LINE = 65536
_MAX_HEADERS = 100


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """The fetcher's limits, from the ``URL_*`` settings."""

    max_bytes: int = 2 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    allowed_networks: tuple[IPNetwork, ...] = ()
    max_redirects: int = MAX_REDIRECTS


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` -> networks; a bare address is a one-address network."""
    networks: list[IPNetwork] = []
    for part in text.split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"{part.strip()!r} is not an IP address or network like 10.0.0.0/8"
                ) from None
    return tuple(networks)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_refused(address: IPAddress, allowed: tuple[IPNetwork, ...] = ()) -> bool:
    """True when ``address`` is not a public unicast address (and not allowed)."""
    if any(address.version == network.version and address in network for network in allowed):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_refused(embedded, allowed)
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT)
    )


@dataclass(frozen=True, slots=True)
class _Target:
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
    def of(cls, url: str) -> _Target:
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
class _Proxy:
    """A forward proxy: where it listens, and the ``Proxy-Authorization`` its URL implies."""

    target: _Target
    authorization: str | None

    @classmethod
    def of(cls, url: str) -> _Proxy:
        parts = urlsplit(url)
        if parts.scheme.lower() != "http" or not parts.hostname:
            raise FetchError(
                "I can only load pages through an http:// proxy; please tell the bot's owner."
            )
        port = parts.port or 80
        where = _Target(f"http://{parts.hostname}:{port}/", False, parts.hostname, port, "/")
        if parts.username is None:
            return cls(where, None)
        user, password = unquote(parts.username), unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return cls(where, f"Basic {token}")


def _tunnel_status(reader: io.BufferedReader) -> int:
    """The status of a proxy's answer to ``CONNECT``, its headers read and dropped."""
    version, status, *_ = [*reader.readline(_MAX_LINE).split(None, 2), b"", b""]
    if not version.startswith(b"HTTP/") or not status.isdigit():
        raise ValueError("not an HTTP answer")
    for _ in range(_MAX_HEADERS):
        if reader.readline(_MAX_LINE) in (b"\r\n", b"\n", b""):
            return int(status)
    raise ValueError("too many headers")


class _Deadline:
    """The moment a fetch must be over by; :meth:`left` raises once it has passed."""

    __slots__ = ("_end",)

    def __init__(self, seconds: float, *, within: _Deadline | None = None) -> None:
        self._end = time.monotonic() + seconds
        if within is not None:
            self._end = min(self._end, within._end)

    def left(self) -> float:
        remaining = self._end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the fetch's deadline has passed")
        return remaining


class _TimedReader(io.RawIOBase):
    """Reads a socket, each read waiting at most until the deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.left())
        return self._sock.recv_into(buffer)


class _TimedSocket:
    """The socket :mod:`http.client` talks through: every send and read within one deadline.

    ``http.client`` reads the status line, the headers and the body (chunked or
    not) through :meth:`makefile`, so a server that sends them a byte at a time
    runs into the same deadline as one that sends nothing.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.left())  # sendall's timeout covers the whole send
        self._sock.sendall(data)

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_TimedReader(self._sock, self._deadline), _CHUNK)

    def close(self) -> None:
        """Nothing: ``http.client`` closes its connection while the answer is still being
        read (when the server will close it), so the fetcher closes the socket itself."""


class SafeFetcher:
    """A :class:`bot.sources.web_pages.Fetcher` for untrusted URLs."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        tls: ssl.SSLContext | None = None,
        proxies: Proxies | None = None,
    ) -> None:
        """``tls`` verifies https certificates: by default the system's CAs (``SSL_CERT_FILE``);
        ``proxies`` are the forward proxies to fetch through (``HTTPS_PROXY``, ...)."""
        self.limits = limits or FetchLimits()
        self._given_tls = tls
        self._default_tls: ssl.SSLContext | None = None
        self._proxies = proxies or Proxies()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False

    @property
    def _tls(self) -> ssl.SSLContext:
        """The TLS context, the system's made on first use (loading the CAs takes a while)."""
        if self._given_tls is not None:
            return self._given_tls
        if self._default_tls is None:
            self._default_tls = ssl.create_default_context()
        return self._default_tls

    def __repr__(self) -> str:
        return f"SafeFetcher({self.limits!r})"

    def fetch(self, url: str) -> Page:
        """The page at ``url``, within one deadline for every connection and redirect."""
        deadline = _Deadline(self.limits.connect_timeout + self.limits.read_timeout)
        for _ in range(self.limits.max_redirects + 1):
            target = _Target.of(url)
            page, location = self._get(target, deadline)
            if page is not None:
                return page
            url = urljoin(target.url, location)
        raise FetchError(f"That URL redirects more than {self.limits.max_redirects} times.")

    def close(self) -> None:
        """End every fetch in flight now (each raises a :class:`FetchError`) and refuse new ones.

        Shutting a socket down wakes the thread blocked reading it, so a worker
        stuck on a slow server is free at once instead of at its deadline.
        """
        with self._lock:
            self._closed = True
            stuck = list(self._open)
        for sock in stuck:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _get(self, target: _Target, deadline: _Deadline) -> tuple[Page | None, str]:
        """The page, or ``(None, location)`` for a redirect."""
        import http.client  # imported when a page is first fetched, not at start-up

        answer = _Deadline(self.limits.read_timeout, within=deadline)
        sock = self._reach(target, deadline, answer)
        if target.https:
            sock = self._secure(sock, target, answer)
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = _TimedSocket(sock, answer)
        try:
            connection.request("GET", target.path, headers=_HEADERS)
            with contextlib.closing(connection.getresponse()) as response:
                return self._read(response, target)
        except TimeoutError:
            raise self._too_slow() from None
        except ssl.SSLError:
            raise self._failure(f"The secure connection to {target.shown} failed.") from None
        except (http.client.HTTPException, OSError):
            raise self._failure(f"{target.shown} sent an answer I can't read.") from None
        finally:
            connection.close()
            self._forget(sock)

    def _read(self, response: http.client.HTTPResponse, target: _Target) -> tuple[Page | None, str]:
        if response.status in _REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchError(f"{target.shown} redirected without saying where to.")
            return None, location
        if response.status != 200:
            raise FetchError(f"{target.shown} answered HTTP {response.status}, not a page.")
        content_type = response.getheader("Content-Type") or ""
        if media_type(content_type) not in CONTENT_KINDS:
            shown = defang(media_type(content_type)[:60]) or "no content type"
            raise FetchError(f"That is not a web page or text ({shown}), so I can't read it.")
        data = b"".join(self._body(response))
        if self._closed:  # cut short: what arrived is not the whole page
            raise self._failure("")
        return Page(target.url, data, content_type), ""

    def _body(self, response: http.client.HTTPResponse) -> Iterator[bytes]:
        limit = self.limits.max_bytes
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > limit:
            raise self._too_big()
        received = 0
        while chunk := response.read1(_CHUNK):
            received += len(chunk)
            if received > limit:
                raise self._too_big()
            yield chunk

    def _reach(self, target: _Target, deadline: _Deadline, answer: _Deadline) -> socket.socket:
        """A connection to a checked address of ``target``: direct, or tunnelled
        through the proxy that ``HTTPS_PROXY``/``HTTP_PROXY`` name for it."""
        addresses = self._addresses(target)
        proxy = self._proxy_for(target)
        if proxy is None:
            return self._connect(target, addresses, deadline)
        sock = self._connect(proxy.target, self._addresses(proxy.target, proxy=True), deadline)
        try:
            self._tunnel(sock, proxy, addresses[0], target, answer)
        except BaseException:
            self._forget(sock)
            raise
        return sock

    def _proxy_for(self, target: _Target) -> _Proxy | None:
        url = self._proxies.for_url(target.url)
        return None if url is None else _Proxy.of(url)

    def _tunnel(
        self, sock: socket.socket, proxy: _Proxy, address: str, target: _Target, answer: _Deadline
    ) -> None:
        """Ask the proxy for a tunnel (``CONNECT``) to the address the bot checked itself,
        so the proxy's own name lookup cannot lead elsewhere."""
        authority = f"[{address}]:{target.port}" if ":" in address else f"{address}:{target.port}"
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: {USER_AGENT}"]
        if proxy.authorization is not None:
            lines.append(f"Proxy-Authorization: {proxy.authorization}")
        timed = _TimedSocket(sock, answer)
        try:
            timed.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            status = _tunnel_status(timed.makefile("rb"))
        except TimeoutError:
            raise self._too_slow() from None
        except (ValueError, OSError):
            raise self._failure("The bot's proxy sent an answer I can't read.") from None
        if status == 407:
            raise FetchError(
                "The bot's proxy refused its credentials; please tell the bot's owner."
            )
        if status != 200:
            raise FetchError(f"The bot's proxy would not reach {target.shown} (HTTP {status}).")

    def _connect(self, target: _Target, addresses: list[str], deadline: _Deadline) -> socket.socket:
        """A connection to one of ``target``'s checked ``addresses``."""
        last_error: OSError | None = None
        for address in addresses:
            try:
                timeout = min(self.limits.connect_timeout, deadline.left())
                sock = socket.create_connection((address, target.port), timeout=timeout)
            except OSError as error:  # TimeoutError included
                last_error = error
                continue
            self._remember(sock)
            return sock
        if isinstance(last_error, TimeoutError):
            raise FetchError(f"{target.shown} did not answer in time.")
        raise FetchError(f"I couldn't connect to {target.shown}.")

    def _secure(self, sock: socket.socket, target: _Target, deadline: _Deadline) -> ssl.SSLSocket:
        """TLS over ``sock``, the handshake within the deadline (its timeout is overall)."""
        try:
            tls = self._tls.wrap_socket(
                sock, server_hostname=target.host, do_handshake_on_connect=False
            )
        except (ssl.SSLError, OSError, ValueError):
            self._forget(sock)
            raise self._failure(f"The secure connection to {target.shown} failed.") from None
        self._replace(sock, tls)
        try:
            tls.settimeout(deadline.left())
            tls.do_handshake()
        except ssl.SSLCertVerificationError:
            self._forget(tls)
            raise FetchError(f"{target.shown}'s HTTPS certificate is not valid.") from None
        except TimeoutError:
            self._forget(tls)
            raise self._too_slow() from None
        except (ssl.SSLError, OSError):
            self._forget(tls)
            raise self._failure(f"The secure connection to {target.shown} failed.") from None
        return tls

    def _remember(self, sock: socket.socket) -> None:
        with self._lock:
            if self._closed:
                sock.close()
                raise self._failure("")
            self._open.add(sock)

    def _replace(self, old: socket.socket, new: socket.socket) -> None:
        with self._lock:
            self._open.discard(old)
            self._open.add(new)

    def _forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        sock.close()

    def _addresses(self, target: _Target, *, proxy: bool = False) -> list[str]:
        """Every address of the host, all checked; refuses if any is not public.

        A proxy is checked the same way: one on a private network is used only
        when ``URL_ALLOWED_NETWORKS`` lists it.
        """
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise FetchError(f"I couldn't find the host {target.shown}.") from None
        addresses: list[str] = []
        for info in infos:
            text = str(info[4][0]).split("%", 1)[0]  # no IPv6 zone
            address = ipaddress.ip_address(text)
            if is_refused(address, self.limits.allowed_networks) and proxy:
                raise FetchError(
                    "The bot's proxy is on a private network that URL_ALLOWED_NETWORKS does not "
                    "list, so I won't use it; please tell the bot's owner."
                )
            if is_refused(address, self.limits.allowed_networks):
                raise FetchError(
                    f"{target.shown} is on a private or reserved network, so I won't fetch it."
                )
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise FetchError(f"I couldn't find the host {target.shown}.")
        return addresses

    def _failure(self, reason: str) -> FetchError:
        """``reason`` as a refusal, unless the fetch was cut short because the bot is stopping."""
        if self._closed:
            return FetchError("I'm shutting down, so I stopped loading that page. Try again later.")
        return FetchError(reason)

    def _too_big(self) -> FetchError:
        return FetchError(f"That page is over the {self.limits.max_bytes:,}-byte limit.")

    def _too_slow(self) -> FetchError:
        return FetchError(
            f"That page took too long to arrive (over {self.limits.read_timeout:g} seconds)."
        )


_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9",
    "Accept-Encoding": "identity",
}
