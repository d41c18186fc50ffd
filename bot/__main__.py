"""``python -m bot``: the same as the ``summary-bot`` command.

This entry-point shim is the one place under ``bot/`` that reaches the
adapters; the core modules themselves never import them.
"""

from __future__ import annotations

import sys

from adapters.cli import main

sys.exit(main())
