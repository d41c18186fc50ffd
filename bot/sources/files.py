"""Read an article file: size limit, encoding, format, then parse.

Every failure is an :class:`ArticleError` whose one-line message names the
file and the problem, so a self-hoster can fix it without a traceback.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from importlib import resources
from pathlib import Path

from bot.errors import ArticleError
from bot.text.charsets import html_to_utf8
from bot.text.document import Document
from bot.text.parsing import parse
from bot.text.tokenizer import Tokenizer

__all__ = [
    "BUNDLED_ARTICLE",
    "DEFAULT_MAX_BYTES",
    "decode",
    "kind_of",
    "load_bundled",
    "load_file",
    "parse_bytes",
    "read_article_bytes",
]

BUNDLED_ARTICLE = "netflix-generative-ai-leap.txt"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control characters that text does not hold (all below a space but \t \n \v \f \r, and DEL).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01


def kind_of(name: str) -> str:
    """The parser for a file name, from its extension."""
    suffix = Path(name).suffix.lower()
    try:
        return _KINDS[suffix]
    except KeyError:
        known = ", ".join(sorted(_KINDS))
        raise ArticleError(
            f"{name}: unsupported file type {suffix or '(none)'!r}; use {known}"
        ) from None


def load_file(
    path: str | Path, tokenizer: Tokenizer, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read, decode and parse an article file."""
    name = str(path)
    kind = kind_of(name)
    data = read_article_bytes(Path(path), max_bytes)
    return parse_bytes(data, kind=kind, name=name, tokenizer=tokenizer, max_bytes=max_bytes)


def read_article_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, never more than ``max_bytes`` plus one read.

    Devices (``/dev/zero``), FIFOs, sockets and folders are refused before a
    byte is read, also behind a symbolic link: a FIFO is opened without
    waiting for a writer, and what was opened is checked again, so a file
    swapped for another in between is refused too.
    """
    name = str(path)
    try:
        _check_regular(name, os.stat(path).st_mode)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ArticleError(f"{name}: no such file") from None
    except PermissionError:
        raise ArticleError(f"{name}: permission denied") from None
    except OSError as error:
        raise ArticleError(f"{name}: cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as file:
        try:
            _check_regular(name, os.fstat(descriptor).st_mode)
            data = file.read(max_bytes + 1)
        except OSError as error:
            raise ArticleError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        size = max(len(data), _size(path))
        raise ArticleError(_too_big(name, size, max_bytes))
    return data


def _check_regular(name: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise ArticleError(f"{name}: is a folder, not an article file")
    kinds = {
        stat.S_ISCHR: "a device",
        stat.S_ISBLK: "a device",
        stat.S_ISFIFO: "a pipe (FIFO)",
        stat.S_ISSOCK: "a socket",
    }
    what = next((kind for test, kind in kinds.items() if test(mode)), "not a file")
    raise ArticleError(f"{name}: is {what}, not a regular file")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def load_bundled(tokenizer: Tokenizer) -> Document:
    """The article that ships with the bot."""
    data = resources.files("bot").joinpath("data", BUNDLED_ARTICLE).read_bytes()
    return parse_bytes(data, kind="text", name=BUNDLED_ARTICLE, tokenizer=tokenizer)


def parse_bytes(
    data: bytes,
    *,
    kind: str,
    name: str,
    tokenizer: Tokenizer,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    if len(data) > max_bytes:
        raise ArticleError(_too_big(name, len(data), max_bytes))
    if kind == "html":  # an HTML file may name its charset in a <meta> tag
        data = html_to_utf8(data)
    return parse(decode(data, name), kind=kind, name=name, tokenizer=tokenizer)


def decode(data: bytes, name: str) -> str:
    """Text from bytes: a BOM if there is one, else UTF-8, else Windows-1252/Latin-1."""
    if not data or data.isspace():  # (no copy of the data, as strip() would make)
        raise ArticleError(f"{name}: the file is empty")
    text = _decode_with_bom(data, name)
    if text is None:
        if b"\x00" in data:
            raise ArticleError(f"{name}: looks like a binary file, not text")
        text = _decode_without_bom(data)
    if _is_binary(text):
        raise ArticleError(f"{name}: looks like a binary file, not text")
    if not text or text.isspace():
        raise ArticleError(f"{name}: the file is empty")
    return text


def _decode_with_bom(data: bytes, name: str) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ArticleError(f"{name}: is not valid {encoding.upper()} text") from None
    return None


def _decode_without_bom(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _is_binary(text: str) -> bool:
    sample = text[:65536]
    controls = len(_CONTROLS.findall(sample))
    return controls > max(2, len(sample) * _MAX_CONTROL_RATIO)


def _too_big(name: str, size: int, max_bytes: int) -> str:
    return (
        f"{name}: the file is {size:,} bytes, over the {max_bytes:,}-byte limit "
        "(raise ARTICLE_MAX_BYTES to allow it)"
    )
