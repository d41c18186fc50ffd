"""Shared fixtures: the bundled article, parsed and ready to answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat.channel_articles import ChannelArticles
from bot.sources.files import load_bundled
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer
from tests.articles import single
from tests.postgres_server import PostgresServer, postgres_or_skip

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return Tokenizer("english")


@pytest.fixture(scope="session")
def bundled(tokenizer: Tokenizer) -> Document:
    return load_bundled(tokenizer)


@pytest.fixture(scope="session")
def library(bundled: Document) -> ChannelArticles:
    return single(bundled).warm()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (see ``tests/postgres_server.py``)."""
    with postgres_or_skip() as server:
        yield server
