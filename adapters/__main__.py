"""``python -m adapters``: the same as the ``summary-bot`` command."""

from __future__ import annotations

import sys

from adapters.cli import main

sys.exit(main())
