"""Which article each channel reads: the port, and an in-memory store.

The core only needs to read and write one name per channel; where it is kept
is the adapters' business (``adapters/state/sqlite_choices.py`` keeps it in SQLite,
so a choice survives a restart). A store that cannot save raises a
:class:`~bot.errors.UserFacingError` with a message fit for chat.
"""

from __future__ import annotations

import threading
from typing import Protocol

__all__ = ["ChoiceStore", "MemoryChoices"]


class ChoiceStore(Protocol):
    """Remembers the article name chosen for each channel."""

    def load(self) -> None:
        """Read what is kept now (at start-up), so that ``get`` answers from memory."""
        ...

    def get(self, channel: str) -> str | None:
        """The article name chosen for ``channel``, or ``None``."""
        ...

    def set(self, channel: str, name: str) -> None:
        """Remember ``name`` as ``channel``'s article."""
        ...


class MemoryChoices:
    """A :class:`ChoiceStore` that forgets everything when the process ends."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryChoices({len(self._names)} channels)"

    def load(self) -> None:
        """Nothing is kept anywhere else."""

    def get(self, channel: str) -> str | None:
        with self._lock:
            return self._names.get(channel)

    def set(self, channel: str, name: str) -> None:
        with self._lock:
            self._names[channel] = name
