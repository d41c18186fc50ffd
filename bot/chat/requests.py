"""Who asked, and where: what the core needs besides the command itself.

An adapter builds one :class:`Request` per platform event, beside the
:class:`~bot.chat.commands.Command` it read from the text.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Request"]


@dataclass(frozen=True, slots=True)
class Request:
    """The channel and the sender of a command, and the platform it came from.

    ``is_admin`` is true when the platform says the sender administers the
    workspace or server; it decides who may ``/summary load`` (``URL_LOADERS``).
    """

    channel: str = ""
    user: str = ""
    is_admin: bool = False
    platform: str = ""

    @property
    def sender(self) -> str:
        """The sender, told apart from a user of the same ID on another platform."""
        return f"{self.platform}:{self.user}"
