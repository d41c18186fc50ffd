"""Which addresses a fetch may reach: public unicast only, unless the owner allows a network.

Private, loopback, link-local (the cloud metadata address 169.254.169.254
included), CGNAT, multicast, reserved and unspecified addresses are refused,
in IPv4 and IPv6, and so are IPv4 addresses embedded in IPv6
(``::ffff:10.0.0.1``, 6to4, Teredo, NAT64); ``URL_ALLOWED_NETWORKS`` lists
the exceptions.
"""

from __future__ import annotations

import ipaddress
import socket

from adapters.web.targets import Target
from bot.sources.web_pages import FetchError

__all__ = ["IPAddress", "IPNetwork", "checked_addresses", "is_refused", "parse_networks"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


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


def checked_addresses(
    target: Target, allowed: tuple[IPNetwork, ...], *, proxy: bool = False
) -> list[str]:
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
        if is_refused(address, allowed) and proxy:
            raise FetchError(
                "The bot's proxy is on a private network that URL_ALLOWED_NETWORKS does not "
                "list, so I won't use it; please tell the bot's owner."
            )
        if is_refused(address, allowed):
            raise FetchError(
                f"{target.shown} is on a private or reserved network, so I won't fetch it."
            )
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise FetchError(f"I couldn't find the host {target.shown}.")
    return addresses
