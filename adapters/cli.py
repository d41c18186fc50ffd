"""The ``summary-bot`` command: read settings, load the article, pick the front end.

With no platform token configured it runs the console; with Slack and/or
Discord tokens it serves those platforms in one process.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from adapters.bootstrap import build_library, build_state
from adapters.console import run_console
from adapters.log_setup import configure_logging
from adapters.settings import Settings, load_settings
from adapters.state.store import State
from bot.errors import ArticleError, ConfigError

__all__ = ["main", "package_version"]


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="summary-bot",
        description="Summarize an article section by section and answer questions about it.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "console", "check"),
        help="run: the configured platforms, or the console without tokens (default); "
        "console: always the console; check: validate settings and tokens",
    )
    parser.add_argument("--env-file", default=".env", type=Path, help="settings file (.env)")
    parser.add_argument("--article", type=Path, help="article file (overrides ARTICLE)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    return parser.parse_args(argv)


def package_version() -> str:
    """The installed package's version (``pyproject.toml``), or ``unknown`` when not installed."""
    try:
        return version("summary-bot")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        settings = load_settings(args.env_file)
        if args.article is not None:
            settings = _with_article(settings, args.article)
    except ConfigError as error:
        print(f"summary-bot: configuration error: {error}", file=sys.stderr)
        return 2
    console = args.command == "console" or not (settings.slack.enabled or settings.discord.enabled)
    configure_logging(settings, settings.service.log_level or ("WARNING" if console else "INFO"))
    try:
        state = build_state(settings)
    except ConfigError as error:
        print(f"summary-bot: configuration error: {error}", file=sys.stderr)
        return 2
    try:
        return _run(args.command, settings, state, console=console)
    finally:
        state.close()


def _run(command: str, settings: Settings, state: State, *, console: bool) -> int:
    try:
        library = build_library(settings, state)
    except ArticleError as error:
        print(f"summary-bot: {error}", file=sys.stderr)
        return 2
    if command == "check":
        from adapters.checking import run_check

        return run_check(settings, library)
    if console:
        return run_console(library, sys.stdin, sys.stdout)
    import asyncio  # the platforms only: the console starts without it

    from adapters.serving import serve

    try:
        return asyncio.run(serve(settings, library, state=state))
    except ConfigError as error:
        print(f"summary-bot: configuration error: {error}", file=sys.stderr)
        return 2


def _with_article(settings: Settings, article: Path) -> Settings:
    return settings.with_article(article)
