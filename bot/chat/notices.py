"""Every notice the bot gives in chat that is not an article's answer, written once.

The texts are what people read when the bot cannot answer as asked: a user
mistake (too long, ``use`` or ``load`` with nothing after), a refusal (URL
loading off, too many commands, every load slot taken) or a fault on the
bot's side (the apology, the state store away). The reply builders give each
its kind (always :attr:`~bot.chat.replies.Kind.ERROR`: only the asker sees it).
"""

from __future__ import annotations

from bot.chat.replies import Kind, Reply

__all__ = [
    "APOLOGY",
    "CANT_DO_THAT",
    "LOADING_EVERY_SLOT",
    "LOADING_YOURS",
    "LOAD_USAGE",
    "STORE_AWAY",
    "URL_LOADING_OFF",
    "USE_USAGE",
    "apology",
    "error",
    "not_now",
    "slow_down",
    "store_away",
    "too_long",
]

#: Anything unexpected inside the bot: the traceback goes to the log, this to chat.
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
STORE_AWAY = "Sorry, I can't reach my database just now. Please try again in a moment."
URL_LOADING_OFF = "Loading articles from a URL is turned off on this bot."
USE_USAGE = "Tell me which article: `/summary use <name>` (`/summary articles` lists them)."
LOAD_USAGE = "Tell me which page: `/summary load <url>`, for example `/summary load https://example.com/post`."
LOADING_YOURS = "You already have a page loading; wait for it, then try again."
LOADING_EVERY_SLOT = "I'm loading as many pages as I can right now; try again in a minute."
#: The title of a reply to a user mistake or a refusal.
CANT_DO_THAT = "Sorry, I can't do that"


def too_long(limit: int) -> str:
    return f"That is too long for me: please keep it under {limit:,} characters."


def error(note: str) -> Reply:
    """A user mistake or a refusal, explained by ``note``."""
    return Reply(Kind.ERROR, CANT_DO_THAT, note=note)


def apology() -> Reply:
    return Reply(Kind.ERROR, "Sorry", note=APOLOGY)


def store_away() -> Reply:
    return Reply(Kind.ERROR, "Sorry", note=STORE_AWAY)


def slow_down(wait: float) -> Reply:
    note = f"You have sent a lot of commands; try again in {wait:.0f} seconds."
    return Reply(Kind.ERROR, "Slow down a little", note=note)


def not_now(note: str) -> Reply:
    """A command the bot cannot take on just now (every load slot taken)."""
    return Reply(Kind.ERROR, "Not now", note=note)
