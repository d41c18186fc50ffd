"""A fetcher that is safe to expose to a chat: ``/summary load <url>``.

Anyone who may load can make the bot send a request, so :class:`SafeFetcher`:

- takes ``http`` and ``https`` URLs only, without user names or passwords;
- resolves the host name itself and refuses when any address it resolves to is
  not public (:mod:`adapters.web.addresses`), unless ``URL_ALLOWED_NETWORKS``
  lists it;
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

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from adapters.proxies import Proxies
from adapters.web.addresses import IPNetwork, checked_addresses
from adapters.web.targets import Proxy, Target, tunnel_status
from adapters.web.timed_sockets import CHUNK, Deadline, TimedSocket
from bot.chat.echo import defang
from bot.sources.web_pages import CONTENT_KINDS, FetchError, Page, media_type

if TYPE_CHECKING:
    import http.client

__all__ = ["MAX_REDIRECTS", "USER_AGENT", "FetchLimits", "SafeFetcher"]

MAX_REDIRECTS = 5
USER_AGENT = "summary-bot/0.1 (self-hosted article summarizer)"


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """The fetcher's limits, from the ``URL_*`` settings."""

    max_bytes: int = 2 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    allowed_networks: tuple[IPNetwork, ...] = ()
    max_redirects: int = MAX_REDIRECTS


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
        deadline = Deadline(self.limits.connect_timeout + self.limits.read_timeout)
        for _ in range(self.limits.max_redirects + 1):
            target = Target.of(url)
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

    def _get(self, target: Target, deadline: Deadline) -> tuple[Page | None, str]:
        """The page, or ``(None, location)`` for a redirect."""
        import http.client  # imported when a page is first fetched, not at start-up

        answer = Deadline(self.limits.read_timeout, within=deadline)
        sock = self._reach(target, deadline, answer)
        if target.https:
            sock = self._secure(sock, target, answer)
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = TimedSocket(sock, answer)
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

    def _read(self, response: http.client.HTTPResponse, target: Target) -> tuple[Page | None, str]:
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
        while chunk := response.read1(CHUNK):
            received += len(chunk)
            if received > limit:
                raise self._too_big()
            yield chunk

    def _reach(self, target: Target, deadline: Deadline, answer: Deadline) -> socket.socket:
        """A connection to a checked address of ``target``: direct, or tunnelled
        through the proxy that ``HTTPS_PROXY``/``HTTP_PROXY`` name for it."""
        addresses = self._checked(target)
        proxy = self._proxy_for(target)
        if proxy is None:
            return self._connect(target, addresses, deadline)
        sock = self._connect(proxy.target, self._checked(proxy.target, proxy=True), deadline)
        try:
            self._tunnel(sock, proxy, addresses[0], target, answer)
        except BaseException:
            self._forget(sock)
            raise
        return sock

    def _proxy_for(self, target: Target) -> Proxy | None:
        url = self._proxies.for_url(target.url)
        return None if url is None else Proxy.of(url)

    def _tunnel(
        self, sock: socket.socket, proxy: Proxy, address: str, target: Target, answer: Deadline
    ) -> None:
        """Ask the proxy for a tunnel (``CONNECT``) to the address the bot checked itself,
        so the proxy's own name lookup cannot lead elsewhere."""
        authority = f"[{address}]:{target.port}" if ":" in address else f"{address}:{target.port}"
        lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: {USER_AGENT}"]
        if proxy.authorization is not None:
            lines.append(f"Proxy-Authorization: {proxy.authorization}")
        timed = TimedSocket(sock, answer)
        try:
            timed.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            status = tunnel_status(timed.makefile("rb"))
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

    def _connect(self, target: Target, addresses: list[str], deadline: Deadline) -> socket.socket:
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

    def _secure(self, sock: socket.socket, target: Target, deadline: Deadline) -> ssl.SSLSocket:
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

    def _checked(self, target: Target, *, proxy: bool = False) -> list[str]:
        return checked_addresses(target, self.limits.allowed_networks, proxy=proxy)

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
