"""Discord's ``Invalid Form Body`` errors: one :class:`FieldError` per rejected field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FieldError", "form_body_errors"]


@dataclass(frozen=True)
class FieldError:
    """One rejected field: its JSON path, Discord's error code string and message."""

    path: tuple[str, ...]
    code: str
    message: str

    def __str__(self) -> str:
        return f"{'.'.join(self.path) or '<root>'}: {self.message}"


def form_body_errors(errors: Sequence[FieldError]) -> dict[str, Any]:
    """Nest field errors the way Discord does: ``{"a": {"0": {"b": {"_errors": [...]}}}}``."""
    root: dict[str, Any] = {}
    for error in errors:
        node = root
        for part in error.path:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return root
