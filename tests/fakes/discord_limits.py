"""Discord's message, embed and command limits, as the fake Discord server enforces them.

Every check returns a list of :class:`FieldError`; an empty list means the payload is
acceptable. :func:`form_body_errors` turns them into the nested ``errors`` object Discord
sends with ``400 {"code": 50035, "message": "Invalid Form Body"}``, which discord.py
flattens into the text of its ``HTTPException``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .discord_component_limits import check_components
from .discord_form_errors import FieldError, form_body_errors

__all__ = [
    "FieldError",
    "allows_no_mentions",
    "check_allowed_mentions",
    "check_autocomplete",
    "check_commands",
    "check_embed",
    "check_message",
    "embed_size",
    "form_body_errors",
    "is_empty_message",
]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBEDS_TOTAL_MAX = 6000
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100
COMMANDS_MAX = 100
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25

# Discord's JSON error codes used by the fake.
INVALID_FORM_BODY = 50035
EMPTY_MESSAGE = 50006
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_WEBHOOK = 10015
UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013
INVALID_WEBHOOK_TOKEN = 50027
MISSING_PERMISSIONS = 50013

_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _too_long(path: tuple[str, ...], limit: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _required(path: tuple[str, ...]) -> FieldError:
    return FieldError(path, "BASE_TYPE_REQUIRED", "This field is required")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _check_length(errors: list[FieldError], path: tuple[str, ...], value: Any, limit: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errors.append(FieldError(path, "BASE_TYPE_STRING", "Must be a string."))
    elif len(value) > limit:
        errors.append(_too_long(path, limit))


def embed_size(embed: Mapping[str, Any]) -> int:
    """Characters that count towards the 6000 limit: title, description, field names and
    values, footer text and author name."""
    total = len(_text(embed.get("title"))) + len(_text(embed.get("description")))
    for field in embed.get("fields") or []:
        if isinstance(field, Mapping):
            total += len(_text(field.get("name"))) + len(_text(field.get("value")))
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        total += len(_text(footer.get("text")))
    author = embed.get("author")
    if isinstance(author, Mapping):
        total += len(_text(author.get("name")))
    return total


def check_embed(embed: Any, path: tuple[str, ...]) -> list[FieldError]:
    """Limits of a single embed object."""
    errors: list[FieldError] = []
    if not isinstance(embed, Mapping):
        return [
            FieldError(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        ]
    _check_length(errors, (*path, "title"), embed.get("title"), EMBED_TITLE_MAX)
    _check_length(errors, (*path, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
    fields = embed.get("fields") or []
    if not isinstance(fields, list):
        errors.append(FieldError((*path, "fields"), "BASE_TYPE_LIST", "Must be an array."))
        fields = []
    if len(fields) > EMBED_FIELDS_MAX:
        errors.append(_too_long((*path, "fields"), EMBED_FIELDS_MAX))
    for index, field in enumerate(fields):
        fpath = (*path, "fields", str(index))
        if not isinstance(field, Mapping):
            errors.append(FieldError(fpath, "MODEL_TYPE_CONVERT", "Must be an object."))
            continue
        for key, limit in (("name", EMBED_FIELD_NAME_MAX), ("value", EMBED_FIELD_VALUE_MAX)):
            value = field.get(key)
            if value is None or value == "":
                errors.append(_required((*fpath, key)))
            else:
                _check_length(errors, (*fpath, key), value, limit)
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        _check_length(errors, (*path, "footer", "text"), footer.get("text"), EMBED_FOOTER_MAX)
    author = embed.get("author")
    if isinstance(author, Mapping):
        _check_length(errors, (*path, "author", "name"), author.get("name"), EMBED_AUTHOR_MAX)
    return errors


def check_allowed_mentions(value: Any, path: tuple[str, ...]) -> list[FieldError]:
    """`parse` may not name a type that is also listed explicitly."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return [FieldError(path, "MODEL_TYPE_CONVERT", "Must be an object.")]
    errors: list[FieldError] = []
    parse = value.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and value.get(kind):
            errors.append(
                FieldError(
                    (*path, kind),
                    "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
                )
            )
    return errors


def check_message(payload: Mapping[str, Any], path: tuple[str, ...] = ()) -> list[FieldError]:
    """Content, embed and component limits of a message payload (or interaction `data`)."""
    errors: list[FieldError] = []
    _check_length(errors, (*path, "content"), payload.get("content"), CONTENT_MAX)
    embeds = payload.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.append(FieldError((*path, "embeds"), "BASE_TYPE_LIST", "Must be an array."))
        else:
            if len(embeds) > EMBEDS_MAX:
                errors.append(_too_long((*path, "embeds"), EMBEDS_MAX))
            for index, embed in enumerate(embeds):
                errors.extend(check_embed(embed, (*path, "embeds", str(index))))
            total = sum(embed_size(e) for e in embeds if isinstance(e, Mapping))
            if total > EMBEDS_TOTAL_MAX:
                errors.append(
                    FieldError(
                        (*path, "embeds"),
                        "MAX_EMBED_SIZE_EXCEEDED",
                        f"Embed size exceeds maximum size of {EMBEDS_TOTAL_MAX}",
                    )
                )
    errors.extend(
        check_allowed_mentions(payload.get("allowed_mentions"), (*path, "allowed_mentions"))
    )
    errors.extend(check_components(payload.get("components"), path))
    return errors


def is_empty_message(payload: Mapping[str, Any], *, file_count: int = 0) -> bool:
    """True when a new message would have nothing to show (Discord answers 50006)."""
    if file_count or payload.get("attachments"):
        return False
    if _text(payload.get("content")).strip():
        return False
    return not any(payload.get(key) for key in ("embeds", "sticker_ids", "components", "poll"))


def check_autocomplete(data: Any, path: tuple[str, ...] = ("data",)) -> list[FieldError]:
    """An autocomplete result (callback type 8): at most 25 choices of name/value ≤ 100."""
    if not isinstance(data, Mapping):
        return [_required(path)]
    choices = data.get("choices")
    if not isinstance(choices, list):
        return [_required((*path, "choices"))]
    errors: list[FieldError] = []
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        errors.append(_too_long((*path, "choices"), AUTOCOMPLETE_CHOICES_MAX))
    for index, choice in enumerate(choices):
        cpath = (*path, "choices", str(index))
        if not isinstance(choice, Mapping):
            errors.append(FieldError(cpath, "MODEL_TYPE_CONVERT", "Must be an object."))
            continue
        name = choice.get("name")
        if not name:
            errors.append(_required((*cpath, "name")))
        else:
            _check_length(errors, (*cpath, "name"), name, CHOICE_NAME_MAX)
        value = choice.get("value")
        if value is None:
            errors.append(_required((*cpath, "value")))
        elif isinstance(value, str):
            _check_length(errors, (*cpath, "value"), value, CHOICE_VALUE_MAX)
    return errors


def check_commands(commands: Any) -> list[FieldError]:
    """A bulk-overwrite body of application commands (names, descriptions, option counts)."""
    if not isinstance(commands, list):
        return [FieldError((), "BASE_TYPE_LIST", "Must be an array.")]
    errors: list[FieldError] = []
    if len(commands) > COMMANDS_MAX:
        errors.append(_too_long((), COMMANDS_MAX))
    names: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        path = (str(index),)
        if not isinstance(command, Mapping):
            errors.append(FieldError(path, "MODEL_TYPE_CONVERT", "Must be an object."))
            continue
        name = command.get("name")
        kind = int(command.get("type", 1) or 1)
        if not isinstance(name, str) or not name:
            errors.append(_required((*path, "name")))
        elif kind == 1 and (not _COMMAND_NAME.match(name) or name != name.lower()):
            errors.append(
                FieldError(
                    (*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            )
        elif (kind, name) in names:
            errors.append(
                FieldError(
                    (*path, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                )
            )
        if isinstance(name, str):
            names.add((kind, name))
        if kind == 1:
            _check_length(
                errors, (*path, "description"), command.get("description"), COMMAND_DESCRIPTION_MAX
            )
            if not command.get("description"):
                errors.append(_required((*path, "description")))
        options = command.get("options") or []
        if isinstance(options, Sequence) and len(options) > COMMAND_OPTIONS_MAX:
            errors.append(_too_long((*path, "options"), COMMAND_OPTIONS_MAX))
    return errors


def allows_no_mentions(allowed_mentions: Any) -> bool:
    """True when an ``allowed_mentions`` object lets the message ping nobody.

    A missing object does NOT count: Discord then parses every mention in the content.
    """
    if not isinstance(allowed_mentions, Mapping):
        return False
    if allowed_mentions.get("parse"):
        return False
    if allowed_mentions.get("users") or allowed_mentions.get("roles"):
        return False
    return not allowed_mentions.get("replied_user")
