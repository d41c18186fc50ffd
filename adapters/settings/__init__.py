"""Settings: read once, at start-up, from the environment and ``.env``.

Every setting is one row of :mod:`adapters.settings.table` (variable, group,
default, parser, meaning); :mod:`~adapters.settings.reading` reads them into the
typed groups of :mod:`~adapters.settings.groups`. A bad value raises
:class:`~bot.errors.ConfigError` naming the variable and the fix. Tokens are kept
in :class:`Secret`, whose ``repr`` and ``str`` hide the value.
``python -m adapters.settings`` prints the README's configuration table.
"""

from __future__ import annotations

from adapters.settings.groups import (
    CoreSettings,
    DiscordSettings,
    ServiceSettings,
    Settings,
    SlackSettings,
    StorageSettings,
    WebSettings,
)
from adapters.settings.parsing import Secret
from adapters.settings.reading import load_settings

__all__ = [
    "CoreSettings",
    "DiscordSettings",
    "Secret",
    "ServiceSettings",
    "Settings",
    "SlackSettings",
    "StorageSettings",
    "WebSettings",
    "load_settings",
]
