"""The main content of an HTML page: its title, headings and paragraphs.

trafilatura finds the main content (navigation, footers, comments and similar
boilerplate are left out) and writes it as XML, where ``<head>`` is one of the
page's ``h1``-``h6`` headings, ``<p>`` a paragraph, ``<list>``/``<item>`` a
list, ``<table>``/``<row>``/``<cell>`` a table and ``<lb/>`` a line break.
This module turns that XML into the headings and paragraphs the parser groups
into sections: a heading stays a heading, a paragraph or list item is one
paragraph, a table row is one paragraph of its cells, a line break stays a
line break (so no sentence runs across it), and code blocks are skipped.

On a very small page (less main text than trafilatura trusts its own
extraction with, ``MIN_EXTRACTED_SIZE``) trafilatura may return nothing, or
run the headings into the paragraphs. When it returns nothing, or so little
text without the page's headings, the page is read as it is written instead:
every heading and paragraph of its body, less the elements that are
boilerplate by name (``nav``, ``header``, ``footer``, ``aside``, forms,
scripts).

trafilatura is imported with this module, which :mod:`bot.text.parsing` imports
only when it reads an HTML page; it is given the parsed page and never fetches
anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import DEFAULT_CONFIG

from bot.text.parsing import Block

__all__ = ["html_blocks"]

_PARSER = lxml_html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
)
#: Text-level elements of trafilatura's XML: they stay inside a paragraph.
_INLINE = frozenset({"hi", "ref", "del", "lb"})
#: Code blocks are not prose; images carry no text.
_SKIPPED = frozenset({"code", "graphic"})
_CELL_SEPARATOR = " | "
_MIN_TRUSTED_CHARS = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
_HTML_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BOILERPLATE = frozenset(
    {"nav", "header", "footer", "aside", "form", "button", "select", "script", "style"}
    | {"noscript", "template", "iframe", "svg", "canvas", "object", "embed"}
)
#: HTML elements as trafilatura's XML names them; any other element is inline ("hi").
_HTML_TO_XML = {
    **dict.fromkeys(_HTML_HEADINGS, "head"),
    **dict.fromkeys(("p", "li", "dt", "dd", "figcaption", "caption", "address"), "p"),
    **dict.fromkeys(("div", "section", "article", "main", "blockquote", "center"), "div"),
    **dict.fromkeys(("ul", "ol", "dl", "details", "figure", "table", "tbody", "thead"), "div"),
    "tfoot": "div",
    "summary": "p",
    "tr": "row",
    "td": "cell",
    "th": "cell",
    "br": "lb",
    "hr": "div",
    "pre": "code",
    "code": "hi",
    "img": "graphic",
}


def html_blocks(text: str) -> tuple[str | None, list[Block]]:
    """The page's title and its main content as headings and paragraphs."""
    title, blocks = _extracted(text)
    return title, list(blocks)


# The last page's result: a page whose language is detected is parsed twice,
# first in English and then in its own language, and extracted once.
@lru_cache(maxsize=1)
def _extracted(text: str) -> tuple[str | None, tuple[Block, ...]]:
    title, blocks = _extract(text)
    return title, tuple(blocks)


def _extract(text: str) -> tuple[str | None, list[Block]]:
    tree = _parse(text)
    if tree is None:
        return None, []
    # Read before extraction: trafilatura works on its own copy of the tree.
    page_title = _page_title(tree)
    extracted = trafilatura.extract(
        tree,
        output_format="xml",
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
    )
    main = _main_of(extracted)
    blocks = list(_blocks(main)) if main is not None else []
    if _too_little(tree, blocks):
        main = _as_written(tree)
        blocks = list(_blocks(main))
    return _take_title(page_title, blocks, main)


def _main_of(extracted: str | None) -> etree._Element | None:
    if not extracted:
        return None
    try:
        return etree.fromstring(extracted.encode("utf-8")).find("main")
    except etree.XMLSyntaxError:  # not expected of trafilatura; the page is read as written
        return None


def _parse(text: str) -> lxml_html.HtmlElement | None:
    """The page as an lxml tree (a fragment gets ``html`` and ``body`` around it)."""
    if not text.strip():
        return None
    try:
        # Bytes and an explicit encoding: the text is already decoded, so a
        # charset the page declares must not make lxml decode it again.
        tree = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (ValueError, etree.ParserError):  # an empty document
        return None
    return tree if isinstance(tree, lxml_html.HtmlElement) else None


def _page_title(tree: lxml_html.HtmlElement) -> str | None:
    """The title the page declares for itself (``og:title``), its first ``h1``, or ``<title>``."""
    for xpath in (
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
    ):
        for found in tree.xpath(xpath):
            title = " ".join(str(found).split())
            if title:
                return title
    for xpath in ("//h1", "//title"):
        for element in tree.xpath(xpath):
            title = " ".join(element.text_content().split())
            if title:
                return str(title)
    return None


def _take_title(
    page_title: str | None, blocks: list[Block], main: etree._Element | None
) -> tuple[str | None, list[Block]]:
    """A leading heading is the article's title when it is an ``h1`` or matches the page's."""
    if not blocks or blocks[0].kind != "heading":
        return page_title, blocks
    first = next(main.iter("head"), None) if main is not None else None
    is_h1 = first is not None and first.get("rend") == "h1"
    if is_h1 or page_title is None or _same(blocks[0].text, page_title):
        return blocks[0].text, blocks[1:]
    return page_title, blocks


def _same(heading: str, title: str) -> bool:
    return heading.casefold() == title.casefold()


def _too_little(tree: lxml_html.HtmlElement, blocks: list[Block]) -> bool:
    """Nothing extracted; or less text than trafilatura trusts, and the page's headings lost."""
    if not blocks:
        return True
    if any(block.kind == "heading" for block in blocks):
        return False
    if sum(len(block.text) for block in blocks) >= _MIN_TRUSTED_CHARS:
        return False
    return any(heading.text_content().strip() for heading in tree.iter(*_HTML_HEADINGS))


def _as_written(tree: lxml_html.HtmlElement) -> etree._Element:
    """The page's body in trafilatura's XML vocabulary, boilerplate elements left out."""
    main = etree.Element("main")
    body = tree.find("body")
    if body is not None:
        _copy_html(body, main)
    return main


def _copy_html(source: etree._Element, target: etree._Element) -> None:
    target.text = (target.text or "") + (source.text or "")
    for child in source:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BOILERPLATE or not tag:
            last = target[-1] if len(target) else None
            if last is not None:
                last.tail = (last.tail or "") + (child.tail or "")
            else:
                target.text = (target.text or "") + (child.tail or "")
            continue
        name = _HTML_TO_XML.get(tag, "hi")
        copied = etree.SubElement(target, name)
        if tag in _HTML_HEADINGS:
            copied.set("rend", tag)
        _copy_html(child, copied)
        copied.tail = child.tail


def _blocks(element: etree._Element) -> Iterator[Block]:
    """Headings and paragraphs, in reading order, from one element of trafilatura's XML."""
    pending = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag in _INLINE:
            pending.extend((_inline_text(child), child.tail or ""))
            continue
        yield from _paragraph("".join(pending))
        pending = [child.tail or ""]
        if tag == "head":
            heading = " ".join(_inline_text(child).split())
            if heading:
                yield Block("heading", heading)
        elif tag == "row":
            cells = (" ".join(_inline_text(cell).split()) for cell in child)
            yield from _paragraph(_CELL_SEPARATOR.join(cell for cell in cells if cell))
        elif tag not in _SKIPPED:
            yield from _blocks(child)
    yield from _paragraph("".join(pending))


def _inline_text(element: etree._Element) -> str:
    """An element's text with its children's; a line break stays a line break."""
    if element.tag == "lb":
        return "\n"
    parts = [element.text or ""]
    for child in element:
        inner = _inline_text(child)
        # A block inside (a paragraph in a table cell) is set off by line breaks.
        parts.extend((inner if child.tag in _INLINE else f"\n{inner}\n", child.tail or ""))
    return "".join(parts)


def _paragraph(text: str) -> Iterator[Block]:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    joined = "\n".join(line for line in lines if line)
    if joined:
        yield Block("paragraph", joined)
