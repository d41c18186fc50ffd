"""The errors of summary-bot.

Every error the bot raises on purpose derives from :class:`SummaryBotError`::

    SummaryBotError
    ├── UserFacingError   a message that is safe to show in chat as it is
    │   └── ArticleError  an article file or page that cannot be used
    └── ConfigError       a bad setting; names the setting and how to fix it

The core turns a ``UserFacingError`` into a reply; anything else is caught once
at the dispatcher's boundary (adapters.dispatch), logged, and answered with a short apology.
"""

from __future__ import annotations

__all__ = ["ArticleError", "ConfigError", "SummaryBotError", "UserFacingError"]


class SummaryBotError(Exception):
    """Base class of the errors summary-bot raises on purpose."""


class UserFacingError(SummaryBotError):
    """An error whose message is written for the person who asked."""


class ArticleError(UserFacingError):
    """An article that cannot be read or has nothing to summarize."""


class ConfigError(SummaryBotError):
    """A setting that is missing or malformed."""
