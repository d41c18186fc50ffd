"""The console: the whole-article summary, then one answer per line typed.

On a terminal it shows a prompt; with stdin piped it answers each line and
returns when the input ends. Each line is read once into a command and goes
through the same :class:`~adapters.dispatch.Dispatcher` as the chat platforms,
so a failure inside the bot is logged and apologised for, and the console goes
on to the next line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TextIO

from adapters.dispatch import Dispatcher
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.hints import hints
from bot.chat.replies import Reply
from bot.chat.requests import Request

__all__ = ["ConsoleReplies", "render", "run_console"]

log = logging.getLogger(__name__)

_BOLD, _RESET = "\033[1m", "\033[0m"
PROMPT = "summary> "
_QUIT = frozenset({"quit", "exit", ":q"})
#: Whoever runs the console runs the bot: an admin (e.g. for `load <url>`).
CONSOLE = Request(channel="console", user="console", is_admin=True)


def render(reply: Reply, *, color: bool = False) -> str:
    """Plain text, then the reply's buttons as typed hints; on a colour terminal matched
    words are bold."""
    text = reply.plain_text(mark="\0")
    if hint := hints(reply):  # the buttons the chat platforms show, as commands
        text += "\n" + hint
    if not color:
        return text.replace("\0", "*")
    parts = text.split("\0")
    return "".join(f"{_BOLD}{part}{_RESET}" if i % 2 else part for i, part in enumerate(parts))


class ConsoleReplies:
    """Replies written to the terminal or pipe; nothing to defer."""

    defer_after: float | None = None

    def __init__(self, stdout: TextIO, *, color: bool) -> None:
        self._stdout = stdout
        self._color = color

    def __repr__(self) -> str:
        return f"ConsoleReplies(color={self._color})"

    async def send(self, reply: Reply) -> None:
        _write(self._stdout, render(reply, color=self._color))

    async def defer(self) -> None:
        return None


def run_console(library: ChannelArticles, stdin: TextIO | None, stdout: TextIO) -> int:
    """Serve one terminal or pipe; returns the exit status (0).

    On a terminal: the whole-article summary, then a prompt. From a pipe: an
    answer to each line, or the whole-article summary when no line comes.
    """
    interactive = stdin is not None and stdin.isatty() and stdout.isatty()
    replies = ConsoleReplies(stdout, color=interactive)
    with asyncio.Runner() as runner:
        dispatcher = Dispatcher(library, max_concurrent=1)
        try:

            def answer(text: str) -> None:
                runner.run(dispatcher.serve(read_command(text), CONSOLE, replies))

            _serve_lines(stdin, stdout, answer, interactive=interactive)
        finally:
            dispatcher.close()
    return 0


def _serve_lines(
    stdin: TextIO | None,
    stdout: TextIO,
    answer: Callable[[str], None],
    *,
    interactive: bool,
) -> None:
    if interactive or stdin is None:
        answer("")
    if stdin is None:
        return
    if interactive:
        _write(stdout, "Type a command (`help` for the list, `quit` to leave).")
    answered = False
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in _QUIT:
            break
        if line.strip():
            answer(line)
            answered = True
    if not interactive and not answered:
        answer("")


def _write(stdout: TextIO, text: str) -> None:
    stdout.write(text + "\n\n")
    stdout.flush()
