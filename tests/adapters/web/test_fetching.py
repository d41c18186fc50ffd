"""The URL fetcher against a real web server on 127.0.0.1, and the address rules."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Iterator

import pytest

from adapters.web.addresses import is_refused, parse_networks
from adapters.web.fetcher import FetchLimits, SafeFetcher
from bot.sources.web_pages import FetchError, check_url
from tests.page_server import DRIP_PARTS, PageServer, serve_pages, trusting_test_ca

LOCAL = parse_networks("127.0.0.1")


@pytest.fixture
def server() -> Iterator[PageServer]:
    with serve_pages() as running:
        yield running


def fetcher(**limits: float) -> SafeFetcher:
    return SafeFetcher(FetchLimits(allowed_networks=LOCAL, **limits))  # type: ignore[arg-type]


def refusal(server: PageServer, path: str, **limits: float) -> str:
    with pytest.raises(FetchError) as raised:
        fetcher(**limits).fetch(server.url + path)
    return str(raised.value)


def test_an_accepted_page(server: PageServer) -> None:
    page = fetcher().fetch(server.url + "/eternauta.html")
    assert page.url == server.url + "/eternauta.html"
    assert page.content_type == "text/html; charset=utf-8"
    assert "Héctor Germán Oesterheld".encode() in page.data
    assert server.requests == ["/eternauta.html"]


def test_a_redirect_to_an_allowed_page_is_followed(server: PageServer) -> None:
    page = fetcher().fetch(f"{server.url}/redirect?to=/eternauta.html")
    assert page.url == server.url + "/eternauta.html"
    assert server.requests == ["/redirect?to=/eternauta.html", "/eternauta.html"]


def test_an_oversized_page_is_refused(server: PageServer) -> None:
    assert refusal(server, "/big.html", max_bytes=100_000) == (
        "That page is over the 100,000-byte limit."
    )


def test_an_oversized_page_without_a_length_is_cut_off_while_streaming(
    server: PageServer,
) -> None:
    assert "over the 100,000-byte limit" in refusal(server, "/big-stream", max_bytes=100_000)
    assert fetcher().fetch(server.url + "/big-stream").data.startswith(b"<p>word")


def test_a_slow_page_is_refused(server: PageServer) -> None:
    message = refusal(server, "/slow.html", read_timeout=0.3)
    assert message == "That page took too long to arrive (over 0.3 seconds)."


def test_a_page_that_stops_halfway_is_refused(server: PageServer) -> None:
    assert "took too long" in refusal(server, "/slow-body", read_timeout=0.3)


@pytest.mark.parametrize("path", ["/drip-status", "/drip-headers", "/drip-chunks"])
def test_a_page_sent_a_byte_at_a_time_is_cut_off_at_the_deadline(
    server: PageServer, path: str
) -> None:
    # Each byte comes well within the timeout; the whole answer would take 30 s.
    message = refusal(server, path, read_timeout=0.5)
    assert message == "That page took too long to arrive (over 0.5 seconds)."
    _wait_for(lambda: len(server.dripped) == 1)
    assert server.dripped[0] < DRIP_PARTS // 2  # the bot hung up long before the end


def test_a_tls_handshake_that_never_ends_is_cut_off() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        fetching = SafeFetcher(
            FetchLimits(allowed_networks=LOCAL, read_timeout=0.3), tls=trusting_test_ca()
        )
        with pytest.raises(FetchError, match="took too long"):
            fetching.fetch(f"https://127.0.0.1:{port}/")  # accepted, then nothing is said


def test_closing_the_fetcher_ends_the_fetches_in_flight(server: PageServer) -> None:
    fetching = fetcher(read_timeout=60)
    errors: list[str] = []

    def fetch() -> None:
        try:
            fetching.fetch(server.url + "/drip-headers")
        except FetchError as error:
            errors.append(str(error))

    threads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in threads:
        thread.start()
    _wait_for(lambda: server.requests.count("/drip-headers") == 3)
    fetching.close()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)  # not held until the 60 s deadline
    assert errors == ["I'm shutting down, so I stopped loading that page. Try again later."] * 3
    with pytest.raises(FetchError, match="shutting down"):
        fetching.fetch(server.url + "/eternauta.html")


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError("the condition never came true")


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:{port}/eternauta.html",
        "http://[::ffff:127.0.0.2]:{port}/eternauta.html",
        "http://0x7f000002:{port}/eternauta.html",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(server: PageServer, target: str) -> None:
    port = server.url.rsplit(":", 1)[1]
    message = refusal(server, "/redirect?to=" + target.format(port=port))
    assert "private or reserved network, so I won't fetch it" in message
    assert server.requests == ["/redirect?to=" + target.format(port=port)]


def test_loopback_is_refused_without_the_allowlist(server: PageServer) -> None:
    with pytest.raises(
        FetchError, match=r"127\[\.\]0\[\.\]0\[\.\]1 is on a private or reserved network"
    ):
        SafeFetcher().fetch(server.url + "/eternauta.html")
    assert server.requests == []  # never contacted


def test_too_many_redirects(server: PageServer) -> None:
    assert refusal(server, "/loop") == "That URL redirects more than 5 times."
    assert len(server.requests) == 6


def test_a_redirect_to_another_scheme_is_refused(server: PageServer) -> None:
    assert "only load http:// and https://" in refusal(server, "/redirect?to=file:///etc/passwd")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/image.png", "That is not a web page or text (image/png), so I can't read it."),
        ("/missing", "127[.]0[.]0[.]1 answered HTTP 404, not a page."),
    ],
)
def test_wrong_content(server: PageServer, path: str, expected: str) -> None:
    assert refusal(server, path) == expected


def test_unknown_hosts_and_closed_ports() -> None:
    with pytest.raises(FetchError, match="couldn't find the host"):
        fetcher().fetch("http://no-such-host.invalid/")
    with serve_pages() as stopped:
        url = stopped.url
    with pytest.raises(FetchError, match=r"couldn't connect to 127\[\.\]0\[\.\]0\[\.\]1"):
        fetcher().fetch(url + "/eternauta.html")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a.txt",
        "javascript:alert(1)",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "http://user:secret@example.com/",
        "http:///no-host",
        "http://example.com:99999/",
        "https://" + "a" * 3000 + ".com/",
    ],
)
def test_bad_urls_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(FetchError) as raised:
        check_url(url)
    assert len(str(raised.value)) < 100


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "127.255.255.254",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert is_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_refused(ipaddress.ip_address(address))


def test_the_allowlist_opens_only_what_it_lists() -> None:
    allowed = parse_networks("127.0.0.1, 10.1.0.0/16")
    assert not is_refused(ipaddress.ip_address("127.0.0.1"), allowed)
    assert not is_refused(ipaddress.ip_address("10.1.200.3"), allowed)
    assert is_refused(ipaddress.ip_address("10.2.0.1"), allowed)
    assert is_refused(ipaddress.ip_address("169.254.169.254"), allowed)
    with pytest.raises(ValueError, match="not an IP address or network"):
        parse_networks("localhost")


# --- HTTPS ----------------------------------------------------------------------------------

LOOPBACK = parse_networks("127.0.0.1, ::1")  # "localhost" may resolve to both


@pytest.fixture
def secure() -> Iterator[PageServer]:
    with serve_pages(tls=True) as running:
        yield running


def secure_fetcher(tls: ssl.SSLContext | None) -> SafeFetcher:
    return SafeFetcher(FetchLimits(allowed_networks=LOOPBACK), tls=tls)


def test_an_https_page_with_a_valid_certificate(secure: PageServer) -> None:
    page = secure_fetcher(trusting_test_ca()).fetch(secure.url + "/eternauta.html")
    assert page.url == secure.url + "/eternauta.html"
    assert "Héctor Germán Oesterheld".encode() in page.data
    assert secure.requests == ["/eternauta.html"]
    assert secure.server_names == ["localhost"]  # SNI names the host, not the address


def test_an_https_redirect_is_checked_and_followed(secure: PageServer) -> None:
    url = f"{secure.url}/redirect?to=/notes.md"
    page = secure_fetcher(trusting_test_ca()).fetch(url)
    assert page.url == secure.url + "/notes.md"
    assert secure.requests == ["/redirect?to=/notes.md", "/notes.md"]


def test_a_certificate_from_an_unknown_authority_is_refused(secure: PageServer) -> None:
    with pytest.raises(FetchError, match="HTTPS certificate is not valid"):
        secure_fetcher(None).fetch(secure.url + "/eternauta.html")  # the system's CAs
    assert secure.requests == []


def test_a_certificate_for_another_name_is_refused(secure: PageServer) -> None:
    by_address = secure.url.replace("localhost", "127.0.0.1")  # the certificate says localhost
    with pytest.raises(FetchError, match="HTTPS certificate is not valid"):
        secure_fetcher(trusting_test_ca()).fetch(by_address + "/eternauta.html")
    assert secure.requests == []


def test_plain_http_to_an_https_server_is_one_line(secure: PageServer) -> None:
    plain = secure.url.replace("https://", "http://")
    with pytest.raises(FetchError) as raised:
        secure_fetcher(trusting_test_ca()).fetch(plain + "/eternauta.html")
    assert "\n" not in str(raised.value) and "localhost" in str(raised.value)
