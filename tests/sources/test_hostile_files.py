"""Article files that are not files: devices, pipes, sockets and folders, alone or in a folder.

Each is refused with one line before a byte is read (a FIFO would otherwise hang
start-up, ``/dev/zero`` would fill the memory), whether it is ``ARTICLE`` itself,
a link to one, or an entry of ``ARTICLES_DIR`` found when someone asks for the list.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.errors import ArticleError
from bot.sources.files import load_file
from bot.text.tokenizer import Tokenizer
from tests.conftest import ROOT

#: Peak memory a refusal may cost the whole process, in kB (the bot alone needs about 70 MB).
MAX_PEAK_KB = 200 * 1024


def _link_to(device: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(device)

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "zero": (_link_to("/dev/zero"), "is a device, not a regular file"),
    "urandom": (_link_to("/dev/urandom"), "is a device, not a regular file"),
    "fifo": (_fifo, "is a pipe (FIFO), not a regular file"),
    "socket": (lambda path: None, "is a socket, not a regular file"),  # made by the fixture
    "folder": (_folder, "is a folder, not an article file"),
}


@pytest.fixture
def special(tmp_path: Path) -> Iterator[Callable[[str, Path], Path]]:
    """Makes the special file ``kind`` as ``folder/<kind>.txt``; sockets stay bound till the end."""
    sockets: list[socket.socket] = []

    def make(kind: str, folder: Path) -> Path:
        path = folder / f"{kind}.txt"
        if kind == "socket":
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
            sockets.append(server)
        else:
            SPECIAL[kind][0](path)
        return path

    yield make
    for server in sockets:
        server.close()


def start_measured(cwd: Path, **env: str) -> subprocess.Popen[str]:
    """``python -m adapters`` at the console, through pipes; its peak memory (kB) is the
    last line of standard error (see :func:`finish`)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    for name in ("ARTICLE", "ARTICLES_DIR", "STATE_DB", "LANGUAGE", "LOG_LEVEL"):
        environ.pop(name, None)
    environ.update(env, PYTHONPATH=str(ROOT))
    measure = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run([sys.executable, '-m', 'adapters'], timeout=60).returncode\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(peak, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", measure],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=cwd,
    )


def finish(bot: subprocess.Popen[str], stdin: str = "") -> tuple[int, str, str, int]:
    """Exit status, output, error output (without the peak) and peak memory in kB."""
    out, err = bot.communicate(stdin, timeout=120)
    *lines, peak = err.splitlines()
    return bot.returncode, out, "".join(f"{line}\n" for line in lines), int(peak)


@pytest.mark.parametrize("kind", SPECIAL)
def test_the_core_refuses_it_before_reading(
    tokenizer: Tokenizer, tmp_path: Path, special: Callable[[str, Path], Path], kind: str
) -> None:
    path = special(kind, tmp_path)
    with pytest.raises(ArticleError) as caught:
        load_file(path, tokenizer)
    assert str(caught.value) == f"{path}: {SPECIAL[kind][1]}"


@pytest.mark.parametrize("kind", SPECIAL)
def test_as_article_it_stops_start_up_with_one_line(
    tmp_path: Path, special: Callable[[str, Path], Path], kind: str
) -> None:
    path = special(kind, tmp_path)
    code, _, err, peak = finish(start_measured(tmp_path, ARTICLE=str(path)))
    assert code == 2
    assert err == f"summary-bot: {path}: {SPECIAL[kind][1]}\n"
    assert peak < MAX_PEAK_KB


def test_in_the_articles_folder_each_is_skipped_with_one_warning(
    tmp_path: Path, special: Callable[[str, Path], Path]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "articles" / "eternauta.es.md", folder)
    bot = start_measured(tmp_path, ARTICLES_DIR=str(folder))
    assert bot.stdin is not None and bot.stdout is not None
    bot.stdin.write("sections\n")
    bot.stdin.flush()
    assert bot.stdout.readline().strip()  # the article's title: the bot is up
    for kind in SPECIAL:  # added while it runs: `articles` reads the folder again
        special(kind, folder)
    code, out, err, peak = finish(bot, "articles\n")
    assert code == 0, err
    assert "`eternauta`" in out
    warnings = err.splitlines()
    for kind, (_, problem) in SPECIAL.items():
        expected = f"skipping an article in ARTICLES_DIR: {folder / kind}.txt: {problem}"
        assert sum(line.endswith(expected) for line in warnings) == 1, err
    assert len(warnings) == len(SPECIAL)
    assert peak < MAX_PEAK_KB
