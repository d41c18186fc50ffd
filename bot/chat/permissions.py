"""Who may load an article from a URL: everyone, admins, listed users, or nobody.

The policy is read from the ``URL_LOADERS`` setting, a comma-separated list of
``everyone``, ``admins``, ``nobody`` and user IDs (``admins,U0123ABCD``).
Adapters say whether the sender is a workspace or server admin
(:attr:`bot.chat.requests.Request.is_admin`); the core decides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.chat.notices import URL_LOADING_OFF

__all__ = ["LoadPolicy"]

_KEYWORDS = ("everyone", "admins", "nobody")
#: A Slack user ID (U... or W..., capitals and digits) or a Discord one (a snowflake).
_USER_ID = re.compile(r"^(?:[UW][A-Z0-9]{1,20}|\d{15,21})$")


@dataclass(frozen=True, slots=True)
class LoadPolicy:
    everyone: bool = False
    admins: bool = True
    users: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> LoadPolicy:
        """``"everyone"``, ``"admins"``, ``"nobody"``, user IDs, or a comma list of them."""
        words = [word.strip() for word in text.split(",") if word.strip()]
        if not words:
            raise ValueError("must be everyone, admins, nobody or a list of user IDs")
        keywords = {word.lower() for word in words} & set(_KEYWORDS)
        users = [word for word in words if word.lower() not in keywords]
        bad = [user for user in users if not _USER_ID.match(user)]
        if bad:
            raise ValueError(_not_an_entry(bad[0]))
        if "nobody" in keywords and (len(words) > 1):
            raise ValueError("nobody cannot be combined with other entries")
        return cls(
            everyone="everyone" in keywords,
            admins="admins" in keywords,
            users=frozenset(users),
        )

    @property
    def nobody(self) -> bool:
        return not (self.everyone or self.admins or self.users)

    def allows(self, user: str, *, is_admin: bool) -> bool:
        return self.everyone or (self.admins and is_admin) or (bool(user) and user in self.users)

    def refusal(self) -> str:
        """A short, chat-safe explanation for someone who may not load."""
        if self.nobody:
            return URL_LOADING_OFF
        if self.admins:
            return "Only admins (and people the bot's owner lists) can load articles from a URL."
        return "Only the people the bot's owner lists can load articles from a URL."


def _not_an_entry(word: str) -> str:
    """Why ``word`` cannot be an entry of ``URL_LOADERS``, with the keyword it may mean."""
    close = difflib.get_close_matches(word.lower(), _KEYWORDS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    shown = word if len(word) <= 40 else word[:40] + "…"
    return (
        f"{shown!r} is neither everyone, admins, nobody nor a user ID "
        f"(Slack: U0123ABCD; Discord: a number of 15 to 21 digits){hint}"
    )
