"""The URL fetcher through a forward proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).

The fetcher keeps its own address checks: it resolves and checks the page's host
itself and asks the proxy for a tunnel to the address it checked (so the proxy's
name lookup cannot lead anywhere else), and it uses a proxy on a private network
only when ``URL_ALLOWED_NETWORKS`` lists it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.proxies import Proxies
from adapters.web.addresses import parse_networks
from adapters.web.fetcher import FetchLimits, SafeFetcher
from bot.sources.web_pages import FetchError
from tests.forward_proxy import ForwardProxy
from tests.page_server import serve_pages, trusting_test_ca

LOOPBACK = parse_networks("127.0.0.1, ::1")


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


def through(proxies: Proxies, allowed: str = "127.0.0.1, ::1") -> SafeFetcher:
    limits = FetchLimits(allowed_networks=parse_networks(allowed), read_timeout=5)
    return SafeFetcher(limits, tls=trusting_test_ca(), proxies=proxies)


def test_an_https_page_goes_through_the_proxys_tunnel_to_the_checked_address(
    proxy: ForwardProxy,
) -> None:
    with serve_pages(tls=True) as secure:
        page = through(Proxies(https=proxy.url)).fetch(secure.url + "/eternauta.html")
    assert "Héctor Germán Oesterheld".encode() in page.data
    port = secure.url.rsplit(":", 1)[1]
    [passed] = proxy.passed
    assert passed.method == "CONNECT"
    assert passed.target in {f"127.0.0.1:{port}", f"[::1]:{port}"}  # an address, not the name
    assert secure.server_names == ["localhost"]  # TLS still names the host, end to end


def test_an_http_page_goes_through_http_proxy(proxy: ForwardProxy) -> None:
    with serve_pages() as pages:
        page = through(Proxies(http=proxy.url)).fetch(pages.url + "/notes.md")
    assert b"Field notes" in page.data
    assert proxy.targets() == [f"CONNECT {pages.url.removeprefix('http://')}"]
    assert pages.requests == ["/notes.md"]


def test_no_proxy_goes_direct(proxy: ForwardProxy) -> None:
    with serve_pages() as pages:
        proxies = Proxies(http=proxy.url, no_proxy=("127.0.0.1",))
        page = through(proxies).fetch(pages.url + "/notes.md")
    assert b"Field notes" in page.data
    assert proxy.passed == []


def test_the_proxys_credentials_are_sent_and_a_refusal_is_one_line() -> None:
    with ForwardProxy(user="bot", password="s3cret") as guarded, serve_pages() as pages:
        page = through(Proxies(http=guarded.url)).fetch(pages.url + "/notes.md")
        assert b"Field notes" in page.data
        wrong = guarded.url.replace("s3cret", "wrong")
        with pytest.raises(FetchError) as refused:
            through(Proxies(http=wrong)).fetch(pages.url + "/notes.md")
    assert str(refused.value) == (
        "The bot's proxy refused its credentials; please tell the bot's owner."
    )
    assert "s3cret" not in str(refused.value)
    assert [p.allowed for p in guarded.passed] == [True, False]


def test_a_private_proxy_is_used_only_when_allowed(proxy: ForwardProxy) -> None:
    # The page's address is public (and never contacted): only the proxy is private.
    fetcher = through(Proxies(http=proxy.url), allowed="10.9.9.9")
    with pytest.raises(FetchError) as refused:
        fetcher.fetch("http://93.184.216.34/post.html")
    assert "proxy is on a private network that URL_ALLOWED_NETWORKS does not list" in str(
        refused.value
    )
    assert proxy.passed == []


def test_the_page_is_still_checked_when_a_proxy_would_reach_it(proxy: ForwardProxy) -> None:
    fetcher = through(Proxies(http=proxy.url), allowed="127.0.0.1")  # the proxy only
    with pytest.raises(FetchError, match=r"10\[\.\]0\[\.\]0\[\.\]1 is on a private"):
        fetcher.fetch("http://10.0.0.1/admin")
    assert proxy.passed == []


def test_a_proxy_that_refuses_the_tunnel(proxy: ForwardProxy) -> None:
    with serve_pages() as stopped:
        url = stopped.url
    with pytest.raises(FetchError) as refused:  # the proxy cannot reach a closed port
        through(Proxies(http=proxy.url)).fetch(url + "/notes.md")
    assert "\n" not in str(refused.value)
