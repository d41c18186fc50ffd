"""The character encoding a page or file names for itself, and the bytes re-encoded as UTF-8.

A web page names its encoding in a ``<meta charset>`` tag, in its HTTP
``Content-Type`` header, or nowhere; a page that names it only in the tag (a
windows-1251 page, say) would otherwise be read as UTF-8 or Windows-1252 and
come out garbled. The order here is the tag, then the header, then nothing:
the reader (:func:`bot.sources.files.decode`) then detects UTF-8 or falls back to
Windows-1252. A byte-order mark always wins, since it cannot be wrong.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

__all__ = ["header_charset", "html_to_utf8", "meta_charset", "to_utf8"]

#: How far into a page the ``<meta>`` tag is looked for (browsers look at 1,024 bytes).
PRESCAN_BYTES = 4096
_META = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_VALUE = re.compile(rb"(<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*)[\w.:-]+", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: A tag found by an ASCII scan cannot be in these, whatever it says (as browsers treat it).
_NOT_FROM_A_TAG = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"})


def meta_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag near the top of an HTML page names, if any."""
    found = _META.search(data[:PRESCAN_BYTES])
    if found is None:
        return None
    name = _known(found.group(1).decode("ascii"))
    return None if name in _NOT_FROM_A_TAG else name


def header_charset(content_type: str) -> str | None:
    """The charset a ``Content-Type`` header names, if any."""
    found = _HEADER.search(content_type)
    return _known(found.group(1)) if found else None


def to_utf8(data: bytes, charsets: Iterable[str | None]) -> bytes:
    """``data`` as UTF-8, decoded with the first of ``charsets`` that decodes it.

    ``data`` unchanged when it starts with a byte-order mark, or when no named
    charset decodes it (the reader detects the encoding then).
    """
    if data.startswith(_BOMS):
        return data
    for name in charsets:
        if name is None:
            continue
        if name in {"utf-8", "ascii"}:
            return data
        try:
            return data.decode(name).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


def html_to_utf8(data: bytes, header: str | None = None) -> bytes:
    """An HTML page as UTF-8 (see :func:`to_utf8`), its ``<meta>`` tag saying so too.

    HTML parsers honour the tag even in text already decoded, so a tag left
    saying windows-1251 would garble the UTF-8 text a second time.
    """
    converted = to_utf8(data, [meta_charset(data), header])
    if converted is data:
        return data
    head, rest = converted[:PRESCAN_BYTES], converted[PRESCAN_BYTES:]
    return _META_VALUE.sub(rb"\1utf-8", head, count=1) + rest


def _known(name: str) -> str | None:
    """Python's name for a charset, or None when Python does not know it."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
