"""Text the bot repeats back from the person who asked: never a link.

Chat clients turn bare URLs into links (Slack also domain names such as
``evil.example``), so a question like ``http://evil.example/login labor``
repeated in a reply's title would show a live link in the bot's name. The
renderers already escape markup (``<url|label>``, mentions); :func:`defang`
takes care of the bare forms, the same way for every platform: the scheme's
colon and the dots of a host name or IP address are bracketed, visibly.
``http://evil.example/login`` is shown as ``http[:]//evil[.]example/login``.
"""

from __future__ import annotations

import re

__all__ = ["defang"]

_SCHEME = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]{1,31}):(?=//)")
# A host name: labels joined by dots, the last one (the top-level domain) two or
# more letters; or a dotted IPv4 address. "U.S." and "e.g." are neither, and a
# file name in a URL's path ("/post.html") is left alone: its host is broken.
_HOST = re.compile(
    r"(?<![\w.\-])(?<![^/]/)(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\w\-])"
    r"|(?<![\w.])(?<![^/]/)\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"
)
_WWW = re.compile(r"(?i)\bwww\.")


def defang(text: str) -> str:
    """``text`` with every URL, host name and IP address written so no client links it."""
    text = _SCHEME.sub(r"\1[:]", text)
    text = _HOST.sub(lambda found: found.group(0).replace(".", "[.]"), text)
    return _WWW.sub(lambda found: found.group(0)[:-1] + "[.]", text)
