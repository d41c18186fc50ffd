"""The console: the whole-article summary, then one answer per line typed.

On a terminal it shows a prompt; with stdin piped it answers each line and
returns when the input ends.
"""

from __future__ import annotations

import logging
from typing import TextIO

from bot.chat.hints import hints
from bot.chat.replies import Reply
from bot.chat.routing import Message, handle
from bot.library import Library

__all__ = ["render", "run_console"]

log = logging.getLogger(__name__)

_BOLD, _RESET = "\033[1m", "\033[0m"
PROMPT = "summary> "
_QUIT = frozenset({"quit", "exit", ":q"})


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


def run_console(library: Library, stdin: TextIO | None, stdout: TextIO) -> int:
    """Serve one terminal or pipe; returns the exit status (0).

    On a terminal: the whole-article summary, then a prompt. From a pipe: an
    answer to each line, or the whole-article summary when no line comes.
    """
    interactive = stdin is not None and stdin.isatty() and stdout.isatty()
    if interactive or stdin is None:
        _answer(stdout, "", library, color=interactive)
    if stdin is None:
        return 0
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
            _answer(stdout, line, library, color=interactive)
            answered = True
    if not interactive and not answered:
        _answer(stdout, "", library, color=False)
    return 0


def _answer(stdout: TextIO, text: str, library: Library, *, color: bool) -> None:
    """The reply to one line; a failure inside the bot is logged and apologised for,
    and the console goes on to the next line."""
    # Whoever runs the console runs the bot: an admin (e.g. for `load <url>`).
    message = Message(text, channel="console", user="console", is_admin=True)
    try:
        reply = handle(message, library)
    except Exception:
        log.exception("console: answering a command failed")
        from adapters.dispatch import apology  # only now: it imports asyncio

        reply = apology()
    _write(stdout, render(reply, color=color))


def _write(stdout: TextIO, text: str) -> None:
    stdout.write(text + "\n\n")
    stdout.flush()
