"""A PostgreSQL URL for ``STATE_DB``: checked, and shown without its password.

Kept apart from :mod:`adapters.state.postgres` so reading settings never
imports the driver.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["DatabaseUrl", "is_database_url"]

_SCHEMES = ("postgresql", "postgres")


def is_database_url(text: str) -> bool:
    return text.split(":", 1)[0].lower() in _SCHEMES and "://" in text


class DatabaseUrl:
    """``postgresql://user:password@host:port/database``; ``repr`` and :attr:`shown` hide
    the password, :meth:`reveal` gives the whole URL to the driver."""

    __slots__ = ("_password", "_value", "shown")

    def __init__(self, value: str) -> None:
        try:
            parts = urlsplit(value)
            _ = parts.port
        except ValueError:
            raise ValueError(
                "is not a valid PostgreSQL URL (postgresql://user:password@host/database)"
            ) from None
        if parts.scheme.lower() not in _SCHEMES or not (parts.hostname or "host=" in parts.query):
            raise ValueError(
                "must be a file path or a URL like postgresql://user:password@host/database"
            )
        self._value = value
        self._password = unquote(parts.password or "")
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':', 1)[0]}:***@{host}"
        self.shown = urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        """``text`` with the password (and the whole URL) taken out."""
        text = text.replace(self._value, self.shown)
        return text.replace(self._password, "***") if self._password else text

    def __repr__(self) -> str:
        return f"DatabaseUrl({self.shown!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatabaseUrl) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
