"""The articles folder (``ARTICLES_DIR``): every ``.txt``, ``.md`` and ``.html`` in it.

:meth:`Shelf.scan` reads the folder at start-up and again on demand
(``/summary articles``, or ``/summary use`` with a name it does not know yet).
Files that have not changed are not read again. A file that cannot be used is
skipped with a logged warning; the others still load.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.articles.prepared import Unprepared
from bot.errors import ArticleError
from bot.sources.files import kind_of
from bot.sources.reader import Reader, article_name

__all__ = ["MAX_SHELF_FILES", "Shelf"]

log = logging.getLogger(__name__)

MAX_SHELF_FILES = 200

_Stamp = tuple[int, int]


class Shelf:
    """The article files in one folder, read with one :class:`Reader`."""

    def __init__(self, folder: Path, reader: Reader, *, skip: Path | None = None) -> None:
        self.folder = folder
        self._reader = reader
        self._skip = skip.resolve() if skip is not None else None
        self._read: dict[Path, tuple[_Stamp, Unprepared]] = {}
        self._failed: dict[Path, _Stamp] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Shelf({str(self.folder)!r}, {len(self._read)} articles)"

    def scan(self) -> list[Unprepared]:
        """The folder's articles, by file name; changed files are read again."""
        with self._lock:
            found = self._files()
            for path in set(self._read) - set(found):
                del self._read[path]
            articles: list[Unprepared] = []
            taken: set[str] = set()
            for path, stamp in found.items():
                name = article_name(path.name)
                if name.lower() in taken:  # report.md and report.txt: the second by file name
                    name = path.name
                taken.add(name.lower())
                article = self._article(path, stamp, name)
                if article is not None:
                    articles.append(article)
            return articles

    def _files(self) -> dict[Path, _Stamp]:
        try:
            entries = sorted(self.folder.iterdir())
        except OSError as error:
            log.warning("ARTICLES_DIR %s cannot be read: %s", self.folder, error)
            return {}
        files: dict[Path, _Stamp] = {}
        for path in entries:
            if path.name.startswith(".") or not _supported(path.name):
                continue
            if self._skip is not None and path.resolve() == self._skip:
                continue  # the default article, already in the library
            try:
                stat = path.stat()
            except OSError as error:
                log.warning("skipping %s: %s", path, error)
                continue
            if len(files) == MAX_SHELF_FILES:
                log.warning("ARTICLES_DIR has over %d articles; the rest are skipped", len(files))
                break
            files[path] = (stat.st_mtime_ns, stat.st_size)
        return files

    def _article(self, path: Path, stamp: _Stamp, name: str) -> Unprepared | None:
        cached = self._read.get(path)
        if cached is not None and cached[0] == stamp and cached[1].name == name:
            return cached[1]
        if self._failed.get(path) == stamp:
            return None  # already warned about this version of the file
        try:
            article = self._reader.file(path, name)
        except ArticleError as error:
            log.warning("skipping an article in ARTICLES_DIR: %s", error)
            self._failed[path] = stamp
            self._read.pop(path, None)
            return None
        self._failed.pop(path, None)
        self._read[path] = (stamp, article)
        log.info("loaded %s: %d sections", path.name, len(article.document.sections))
        return article


def _supported(name: str) -> bool:
    try:
        kind_of(name)
    except ArticleError:
        return False
    return True
