"""``python -m adapters.settings``: print the README's configuration table."""

from __future__ import annotations

from adapters.settings.reading import markdown_table

print(markdown_table(), end="")
