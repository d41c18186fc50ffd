"""A small web server on 127.0.0.1 that serves articles, and misbehaves on request.

Routes: ``/eternauta.html`` (the Spanish example as a web page, with navigation and
a footer to drop), ``/notes.md``, ``/big.html`` (over any small limit, with a
Content-Length), ``/big-stream`` (the same, without one), ``/slow.html`` (headers
held back until the test ends), ``/slow-body`` (half a page, then nothing),
``/image.png``, ``/missing``, ``/redirect?to=<url>`` and ``/loop``; ``/drip-status``,
``/drip-headers`` and ``/drip-chunks`` send their status line, headers or chunked body
a byte (or a chunk) every tenth of a second for half a minute (``dripped`` records
how many went out before the client hung up), and
``/cyrillic.html`` is a windows-1251 page that names its charset only in a
``<meta>`` tag. It records
every request path, so a test can show a refused address was never contacted.

``serve_pages(tls=True)`` serves the same over HTTPS, with a certificate for
``localhost`` signed by the test CA in ``tests/tls`` (``TEST_CA``), and records
the server name each client asked for (SNI).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ETERNAUTA_MD = ROOT / "examples" / "articles" / "eternauta.es.md"
BIG = 300_000
#: The drip routes send a part every DRIP_SECONDS, DRIP_PARTS of them (half a minute).
DRIP_SECONDS = 0.1
DRIP_PARTS = 300
#: What the windows-1251 page says.
CYRILLIC_TITLE = "Снег над городом"
CYRILLIC_TEXT = (
    "Ночью на город падал снег, и никто не выходил из дома. "
    "Утром улицы были белыми и тихими, а радио молчало."
)
TEST_CA = ROOT / "tests" / "tls" / "ca.pem"
_LOCALHOST_CERT = ROOT / "tests" / "tls" / "localhost.pem"


def eternauta_html() -> str:
    """The Spanish example article as an HTML page with boilerplate around it."""
    body: list[str] = []
    for line in ETERNAUTA_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            body.append(f"<h1>{line[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{line[3:]}</h2>")
        elif line.strip():
            body.append(f"<p>{line.replace('*', '')}</p>")
    return (
        "<!doctype html><html lang='es'><head><meta charset='utf-8'>"
        "<title>El Eternauta | Revista de historietas</title></head><body>"
        "<nav><a href='/'>Inicio</a> <a href='/archivo'>Archivo</a> <a href='/c'>Contacto</a></nav>"
        f"<article>{''.join(body)}</article>"
        "<footer>Copyright 2025 Revista de historietas. Todos los derechos reservados.</footer>"
        "</body></html>"
    )


def cyrillic_html() -> str:
    """A Russian page whose charset (windows-1251) is named only in a ``<meta>`` tag."""
    return (
        "<!doctype html><html lang='ru'><head>"
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{CYRILLIC_TITLE}</title></head><body><article>"
        f"<h1>{CYRILLIC_TITLE}</h1><p>{CYRILLIC_TEXT}</p><p>{CYRILLIC_TEXT}</p>"
        "</article></body></html>"
    )


@dataclass
class PageServer:
    url: str
    requests: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    server_names: list[str | None] = field(default_factory=list)
    #: For each drip route answered: how many of its parts went out before it ended.
    dripped: list[int] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_state: PageServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        state = self.server_state
        state.requests.append(self.path)
        parts = urlsplit(self.path)
        route = getattr(
            self, "_route_" + parts.path.strip("/").replace("-", "_").replace(".", "_"), None
        )
        if route is None:
            self._send(404, "text/plain", b"not here")
        else:
            route(parse_qs(parts.query))

    def _send(self, status: int, content_type: str, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route_eternauta_html(self, query: dict[str, list[str]]) -> None:
        self._send(200, "text/html; charset=utf-8", eternauta_html().encode())

    def _route_notes_md(self, query: dict[str, list[str]]) -> None:
        text = "# Field notes\n\nThe snow fell on the city at night. Nobody went out.\n"
        self._send(200, "text/plain; charset=utf-8", text.encode())

    def _route_big_html(self, query: dict[str, list[str]]) -> None:
        self._send(200, "text/html", b"<p>" + b"word " * (BIG // 5) + b"</p>")

    def _route_big_stream(self, query: dict[str, list[str]]) -> None:
        self._send(200, "text/html", b"<p>" + b"word " * (BIG // 5) + b"</p>", length=False)

    def _route_slow_html(self, query: dict[str, list[str]]) -> None:
        self.server_state.release.wait(30)
        self._send(200, "text/html", b"<p>Too late.</p>")

    def _route_slow_body(self, query: dict[str, list[str]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>The first half")
        self.wfile.flush()
        self.server_state.release.wait(30)

    def _drip(self, parts: list[bytes]) -> None:
        """Send ``parts`` one at a time, a tenth of a second apart (until the test ends)."""
        sent = 0
        try:
            for part in parts:
                if self.server_state.release.wait(DRIP_SECONDS):
                    break
                self.wfile.write(part)
                self.wfile.flush()
                sent += 1
        except OSError:  # the client hung up
            pass
        self.server_state.dripped.append(sent)

    def _route_drip_status(self, query: dict[str, list[str]]) -> None:
        status = b"HTTP/1.0 200 " + b"O" * DRIP_PARTS + b"\r\nContent-Type: text/html\r\n\r\n"
        self._drip([bytes([byte]) for byte in status])

    def _route_drip_headers(self, query: dict[str, list[str]]) -> None:
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n")
        self._drip([bytes([byte]) for byte in b"X-Pad: " + b"a" * DRIP_PARTS + b"\r\n\r\n"])

    def _route_drip_chunks(self, query: dict[str, list[str]]) -> None:
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        self._drip([b"1\r\na\r\n"] * DRIP_PARTS + [b"0\r\n\r\n"])

    def _route_cyrillic_html(self, query: dict[str, list[str]]) -> None:
        self._send(200, "text/html", cyrillic_html().encode("windows-1251"))

    def _route_image_png(self, query: dict[str, list[str]]) -> None:
        self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)

    def _route_redirect(self, query: dict[str, list[str]]) -> None:
        self.send_response(302)
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route_loop(self, query: dict[str, list[str]]) -> None:
        self._route_redirect({"to": ["/loop"]})


@contextmanager
def serve_pages(*, tls: bool = False) -> Iterator[PageServer]:
    """Run the server in a thread for the duration of the ``with`` block."""
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    port = server.server_address[1]
    state = PageServer(f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}")
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(_LOCALHOST_CERT)

        def record(_sock: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
            state.server_names.append(name)

        context.sni_callback = record  # type: ignore[assignment]
        server.socket = context.wrap_socket(server.socket, server_side=True)
    handler.server_state = state
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="page-server", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def trusting_test_ca() -> ssl.SSLContext:
    """A client context that trusts the test CA (and nothing else)."""
    return ssl.create_default_context(cafile=TEST_CA)
