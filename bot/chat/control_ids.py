"""The state a button or menu carries in its id: what a click asks for, in a few characters.

A control's id (Slack: a button's ``value`` or an option's ``value``; Discord: a
``custom_id``) reads ``sb1|<action>|<article>|<version>|<number>|<asker>``, and
"more answers" adds ``|<question>``. Everything a click needs is there, so a
click works after the bot restarts and on any of several processes:

- ``action``: ``s`` a section, ``o`` the overview (``number`` is the menu's page),
  ``m`` more answers (``number`` answers were shown before), ``p`` a section menu
  (the chosen option's value is the section; ``number`` is the menu's page);
- ``article``: the article's name, or ``~`` and a hash of it when the name is long
  or has other characters (:func:`article_key`);
- ``version``: the article's version when the control was made (:func:`version_tag`);
- ``asker``: who the controls were shown to (their clicks update the message);
- ``question``: the question asked, or, where an id has no room for it (Discord's
  100 characters), ``#`` and a digest of it (:func:`question_digest`): the click
  then reads the question back from the message it is on, and the digest checks it.

:func:`read_click` reads an id (and a menu's chosen value) into the
:class:`~bot.chat.commands.Click` command, and never raises: it is strict, and
anything that is not exactly this shape (too long, a field out of its alphabet,
a number out of range) is an :class:`~bot.chat.commands.Invalid` command with
a short note. :func:`read_control` is the same, raising :class:`BadControl`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from bot.chat.commands import MAX_TEXT_CHARS, Action, Click, Invalid, clean_text
from bot.errors import UserFacingError

__all__ = [
    "MAX_CONTROL_CHARS",
    "BadControl",
    "article_key",
    "question_digest",
    "read_click",
    "read_control",
    "version_tag",
    "write_control",
]

PREFIX = "sb1"
#: The longest id or value read at all (a question of MAX_TEXT_CHARS and the rest).
MAX_CONTROL_CHARS = MAX_TEXT_CHARS + 120
MAX_NUMBER = 999_999
_SEPARATOR = "|"
_KEY = re.compile(r"~?[A-Za-z0-9_.-]{1,40}")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,24}")
_VERSION = re.compile(r"[A-Za-z0-9]{1,12}")
_NUMBER = re.compile(r"[0-9]{1,6}")
_ASKER = re.compile(r"[A-Za-z0-9]{0,32}")
_DIGEST = re.compile(r"#[0-9a-f]{12}")
_NOTE = "That button or menu is not one I can read (it may be from an older message)."
_ASK_AGAIN = "I can't read that button's question back from its message; please ask again."
#: Menu values read at most (a single-choice menu sends one).
MAX_CHOSEN = 25


class BadControl(UserFacingError):
    """A control id or value that is malformed, forged or from an unknown version."""


def article_key(name: str) -> str:
    """``name`` as a control carries it: as is when short and plain, else a hash."""
    if _PLAIN_NAME.fullmatch(name):
        return name
    return "~" + hashlib.sha256(name.encode()).hexdigest()[:12]


def version_tag(version: object) -> str:
    """An article's version as a control carries it: twelve letters or digits at most."""
    text = str(version)
    return text if _VERSION.fullmatch(text) else hashlib.sha256(text.encode()).hexdigest()[:8]


def write_control(click: Click) -> str:
    """The id that carries ``click`` (its ``article`` a key from :func:`article_key`)."""
    fields = [PREFIX, click.action.value, click.article, click.version, str(click.number)]
    fields.append(click.asker)
    if click.action is Action.MORE:
        fields.append(click.question)
    return _SEPARATOR.join(fields)


def question_digest(question: str) -> str:
    """What an id carries instead of a question it has no room for."""
    return "#" + hashlib.sha256(question.encode()).hexdigest()[:12]


def read_click(text: object, chosen: Sequence[object] = (), *, asked: str = "") -> Click | Invalid:
    """The click an id (and, for a menu, its chosen value) carries; never raises: an id
    this bot did not make is an :class:`~bot.chat.commands.Invalid` command."""
    try:
        return read_control(text, chosen, asked=asked)
    except BadControl as error:
        return Invalid(str(error))


def read_control(text: object, chosen: Sequence[object] = (), *, asked: str = "") -> Click:
    """The click an id (and, for a menu, its chosen value) carries; :class:`BadControl` if
    it is not one this bot made. ``asked`` is the question the clicked message shows,
    for an id that carries only its digest."""
    if not isinstance(text, str) or len(text) > MAX_CONTROL_CHARS or len(chosen) > MAX_CHOSEN:
        raise BadControl(_NOTE)
    fields = text.split(_SEPARATOR, 6)
    if len(fields) < 6 or fields[0] != PREFIX:
        raise BadControl(_NOTE)
    _, action, key, version, number, asker, *rest = fields
    if action not in {a.value for a in Action}:
        raise BadControl(_NOTE)
    click = Click(
        Action(action),
        _field(key, _KEY),
        _field(version, _VERSION),
        _number(number),
        _field(asker, _ASKER),
        _question(Action(action), rest),
    )
    if _DIGEST.fullmatch(click.question):
        if not _is_question(asked) or question_digest(asked) != click.question:
            raise BadControl(_ASK_AGAIN)
        click = replace(click, question=asked)
    if click.action is Action.PICK:
        return _picked(click, chosen)
    if chosen:
        raise BadControl(_NOTE)
    return click


def _field(value: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(value):
        raise BadControl(_NOTE)
    return value


def _number(value: str) -> int:
    return int(_field(value, _NUMBER))


def _question(action: Action, rest: list[str]) -> str:
    if action is not Action.MORE:
        if rest:
            raise BadControl(_NOTE)
        return ""
    question = rest[0] if rest else ""
    if not _is_question(question) and not _DIGEST.fullmatch(question):
        raise BadControl(_NOTE)
    return question


def _is_question(question: str) -> bool:
    return bool(question) and len(question) <= MAX_TEXT_CHARS and clean_text(question) == question


def _picked(menu: Click, chosen: Sequence[object]) -> Click:
    """The section a menu's chosen value names, as a section click."""
    if len(chosen) != 1 or not isinstance(value := chosen[0], str):
        raise BadControl(_NOTE)
    number = _number(value)
    return Click(Action.SECTION, menu.article, menu.version, number, menu.asker)
