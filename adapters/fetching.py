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
- limits the time to connect and the time for the whole answer, and the size
  of the body while it streams in (``URL_CONNECT_TIMEOUT``, ``URL_READ_TIMEOUT``,
  ``URL_MAX_BYTES``);
- accepts HTML, Markdown and plain text content types only.

It is synchronous: the core calls it from its worker thread, never from an
event loop. Every refusal is a :class:`~bot.pages.FetchError` with a short
message fit for chat.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from bot.pages import CONTENT_KINDS, FetchError, Page, check_url, media_type

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


class SafeFetcher:
    """A :class:`bot.pages.Fetcher` for untrusted URLs."""

    def __init__(
        self, limits: FetchLimits | None = None, tls: ssl.SSLContext | None = None
    ) -> None:
        """``tls`` verifies https certificates: by default the system's CAs (``SSL_CERT_FILE``)."""
        self.limits = limits or FetchLimits()
        self._given_tls = tls
        self._default_tls: ssl.SSLContext | None = None

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
        for _ in range(self.limits.max_redirects + 1):
            target = _Target.of(url)
            page, location = self._get(target)
            if page is not None:
                return page
            url = urljoin(target.url, location)
        raise FetchError(f"That URL redirects more than {self.limits.max_redirects} times.")

    def _get(self, target: _Target) -> tuple[Page | None, str]:
        """The page, or ``(None, location)`` for a redirect."""
        import http.client  # imported when a page is first fetched, not at start-up

        sock = self._connect(target)
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = sock
        try:
            return self._exchange(connection, sock, target)
        except TimeoutError:
            raise self._too_slow() from None
        except ssl.SSLError:
            raise FetchError(f"The secure connection to {target.host} failed.") from None
        except (http.client.HTTPException, OSError):
            raise FetchError(f"{target.host} sent an answer I can't read.") from None
        finally:
            connection.close()
            sock.close()

    def _exchange(
        self, connection: http.client.HTTPConnection, sock: socket.socket, target: _Target
    ) -> tuple[Page | None, str]:
        deadline = time.monotonic() + self.limits.read_timeout
        sock.settimeout(self.limits.read_timeout)
        connection.request("GET", target.path, headers=_HEADERS)
        response = connection.getresponse()
        try:
            return self._read(response, sock, target, deadline)
        finally:
            response.close()

    def _read(
        self,
        response: http.client.HTTPResponse,
        sock: socket.socket,
        target: _Target,
        deadline: float,
    ) -> tuple[Page | None, str]:
        if response.status in _REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise FetchError(f"{target.host} redirected without saying where to.")
            return None, location
        if response.status != 200:
            raise FetchError(f"{target.host} answered HTTP {response.status}, not a page.")
        content_type = response.getheader("Content-Type") or ""
        if media_type(content_type) not in CONTENT_KINDS:
            shown = media_type(content_type)[:60] or "no content type"
            raise FetchError(f"That is not a web page or text ({shown}), so I can't read it.")
        data = b"".join(self._body(response, sock, deadline))
        return Page(target.url, data, content_type), ""

    def _body(
        self,
        response: http.client.HTTPResponse,
        sock: socket.socket,
        deadline: float,
    ) -> Iterator[bytes]:
        limit = self.limits.max_bytes
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > limit:
            raise self._too_big()
        received = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._too_slow()
            sock.settimeout(remaining)
            chunk = response.read1(_CHUNK)
            if not chunk:
                return
            received += len(chunk)
            if received > limit:
                raise self._too_big()
            yield chunk

    def _connect(self, target: _Target) -> socket.socket:
        """A connection to a checked address of ``target.host`` (TLS for https)."""
        addresses = self._addresses(target)
        last_error: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection(
                    (address, target.port), timeout=self.limits.connect_timeout
                )
            except OSError as error:
                last_error = error
                continue
            if not target.https:
                return sock
            try:
                return self._tls.wrap_socket(sock, server_hostname=target.host)
            except ssl.SSLCertVerificationError:
                sock.close()
                raise FetchError(f"{target.host}'s HTTPS certificate is not valid.") from None
            except (ssl.SSLError, OSError):
                sock.close()
                raise FetchError(f"The secure connection to {target.host} failed.") from None
        if isinstance(last_error, TimeoutError):
            raise FetchError(f"{target.host} did not answer in time.")
        raise FetchError(f"I couldn't connect to {target.host}.")

    def _addresses(self, target: _Target) -> list[str]:
        """Every address of the host, all checked; refuses if any is not public."""
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise FetchError(f"I couldn't find the host {target.host}.") from None
        addresses: list[str] = []
        for info in infos:
            text = str(info[4][0]).split("%", 1)[0]  # no IPv6 zone
            address = ipaddress.ip_address(text)
            if is_refused(address, self.limits.allowed_networks):
                raise FetchError(
                    f"{target.host} is on a private or reserved network, so I won't fetch it."
                )
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise FetchError(f"I couldn't find the host {target.host}.")
        return addresses

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
