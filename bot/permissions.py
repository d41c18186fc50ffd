"""Who may load an article from a URL: everyone, admins, listed users, or nobody.

The policy is read from the ``URL_LOADERS`` setting, a comma-separated list of
``everyone``, ``admins``, ``nobody`` and user IDs (``admins,U0123ABCD``).
Adapters say whether the sender is a workspace or server admin
(:attr:`bot.routing.Message.is_admin`); the core decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LoadPolicy"]

_USER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")


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
        keywords = {word.lower() for word in words} & {"everyone", "admins", "nobody"}
        users = [word for word in words if word.lower() not in keywords]
        bad = [user for user in users if not _USER_ID.match(user)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a user ID (nor everyone, admins or nobody)")
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
            return "Loading articles from a URL is turned off on this bot."
        if self.admins:
            return "Only admins (and people the bot's owner lists) can load articles from a URL."
        return "Only the people the bot's owner lists can load articles from a URL."
