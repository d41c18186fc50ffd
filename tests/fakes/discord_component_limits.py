"""Discord's message-component limits, as the fake Discord server enforces them.

Facts relied on (Discord developer docs, "Component reference"; the same figures appear in
discord.py's ``ui`` checks and in other libraries' validators):

- a message holds at most 5 action rows (type 1) at its top level;
- an action row holds up to 5 buttons (type 2), or exactly one select menu (types 3, 5, 6,
  7, 8), never both;
- ``custom_id`` is required on every interactive component except link buttons (style 5),
  is 1 to 100 characters, and must be unique among the components of a message;
- a button label is at most 80 characters; a link button has a ``url`` and no ``custom_id``;
- a string select (type 3) has 1 to 25 options; an option's ``label``, ``value`` and
  ``description`` are at most 100 characters each; the ``placeholder`` is at most 150;
  ``min_values`` is 0..25 and ``max_values`` 1..25.

Errors use Discord's ``Invalid Form Body`` shape (see :mod:`discord_form_errors`); the error code
strings are the ones Discord uses for those fields (``BASE_TYPE_MAX_LENGTH``,
``COMPONENT_LAYOUT_WIDTH_EXCEEDED``, ``COMPONENT_CUSTOM_ID_DUPLICATED``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .discord_form_errors import FieldError

ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
OPTION_TEXT_MAX = 100
PLACEHOLDER_MAX = 150
SELECT_VALUES_MAX = 25

ACTION_ROW = 1
BUTTON = 2
STRING_SELECT = 3
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
LINK_STYLE = 5
PREMIUM_STYLE = 6


def _too_long(path: tuple[str, ...], limit: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _length(errors: list[FieldError], path: tuple[str, ...], value: Any, limit: int) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errors.append(FieldError(path, "BASE_TYPE_STRING", "Must be a string."))
    elif len(value) > limit:
        errors.append(_too_long(path, limit))


def _custom_id(errors: list[FieldError], path: tuple[str, ...], value: Any, seen: set[str]) -> None:
    if not isinstance(value, str) or not value:
        errors.append(FieldError(path, "BASE_TYPE_REQUIRED", "This field is required"))
        return
    if len(value) > CUSTOM_ID_MAX:
        errors.append(
            FieldError(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        )
    if value in seen:
        errors.append(
            FieldError(
                path, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
            )
        )
    seen.add(value)


def _check_button(
    button: Mapping[str, Any], path: tuple[str, ...], seen: set[str]
) -> list[FieldError]:
    errors: list[FieldError] = []
    style = button.get("style")
    if style not in range(1, 7):
        errors.append(
            FieldError(
                (*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}."
            )
        )
    _length(errors, (*path, "label"), button.get("label"), BUTTON_LABEL_MAX)
    if style == LINK_STYLE:
        if not button.get("url"):
            errors.append(
                FieldError((*path, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
            )
        if button.get("custom_id") is not None:
            errors.append(
                FieldError(
                    (*path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A custom id cannot be specified",
                )
            )
    elif style != PREMIUM_STYLE:
        _custom_id(errors, (*path, "custom_id"), button.get("custom_id"), seen)
        if not button.get("label") and not button.get("emoji"):
            errors.append(
                FieldError(
                    (*path, "label"),
                    "BUTTON_COMPONENT_LABEL_REQUIRED",
                    "A label or emoji is required",
                )
            )
    return errors


def _check_select(
    select: Mapping[str, Any], path: tuple[str, ...], seen: set[str]
) -> list[FieldError]:
    errors: list[FieldError] = []
    _custom_id(errors, (*path, "custom_id"), select.get("custom_id"), seen)
    _length(errors, (*path, "placeholder"), select.get("placeholder"), PLACEHOLDER_MAX)
    for key, low in (("min_values", 0), ("max_values", 1)):
        value = select.get(key)
        if value is not None and (
            not isinstance(value, int) or not low <= value <= SELECT_VALUES_MAX
        ):
            errors.append(
                FieldError(
                    (*path, key),
                    "NUMBER_TYPE_MAX",
                    f"Must be between {low} and {SELECT_VALUES_MAX}.",
                )
            )
    if select.get("type") != STRING_SELECT:
        return errors
    options = select.get("options")
    if not isinstance(options, list) or not options:
        errors.append(
            FieldError((*path, "options"), "BASE_TYPE_REQUIRED", "This field is required")
        )
        return errors
    if len(options) > SELECT_OPTIONS_MAX:
        errors.append(
            FieldError(
                (*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
            )
        )
    for index, option in enumerate(options):
        opath = (*path, "options", str(index))
        if not isinstance(option, Mapping):
            errors.append(FieldError(opath, "MODEL_TYPE_CONVERT", "Must be an object."))
            continue
        for key in ("label", "value"):
            if not option.get(key):
                errors.append(
                    FieldError((*opath, key), "BASE_TYPE_REQUIRED", "This field is required")
                )
            _length(errors, (*opath, key), option.get(key), OPTION_TEXT_MAX)
        _length(errors, (*opath, "description"), option.get("description"), OPTION_TEXT_MAX)
    return errors


def _check_row(row: Any, path: tuple[str, ...], seen: set[str]) -> list[FieldError]:
    if not isinstance(row, Mapping):
        return [FieldError(path, "MODEL_TYPE_CONVERT", "Must be an object.")]
    if row.get("type") != ACTION_ROW:
        return [
            FieldError(
                (*path, "type"), "UNION_TYPE_CHOICES", "Top-level components must be action rows."
            )
        ]
    children = row.get("components")
    if not isinstance(children, list) or not children:
        return [FieldError((*path, "components"), "BASE_TYPE_REQUIRED", "This field is required")]
    errors: list[FieldError] = []
    kinds = [c.get("type") if isinstance(c, Mapping) else None for c in children]
    selects = sum(1 for k in kinds if k in SELECT_TYPES)
    if selects and len(children) > 1:
        errors.append(
            FieldError(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu must be alone in its action row.",
            )
        )
    elif len(children) > ROW_BUTTONS_MAX:
        errors.append(
            FieldError(
                (*path, "components"),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between 1 and {ROW_BUTTONS_MAX} in length.",
            )
        )
    for index, child in enumerate(children):
        cpath = (*path, "components", str(index))
        if not isinstance(child, Mapping):
            errors.append(FieldError(cpath, "MODEL_TYPE_CONVERT", "Must be an object."))
        elif child.get("type") == BUTTON:
            errors.extend(_check_button(child, cpath, seen))
        elif child.get("type") in SELECT_TYPES:
            errors.extend(_check_select(child, cpath, seen))
        else:
            errors.append(
                FieldError(
                    (*cpath, "type"),
                    "UNION_TYPE_CHOICES",
                    "Action rows hold buttons and select menus.",
                )
            )
    return errors


def check_components(components: Any, path: tuple[str, ...] = ()) -> list[FieldError]:
    """Limits of a message's ``components`` (action rows of buttons and select menus)."""
    where = (*path, "components")
    if components is None:
        return []
    if not isinstance(components, list):
        return [FieldError(where, "BASE_TYPE_LIST", "Must be an array.")]
    errors: list[FieldError] = []
    if len(components) > ACTION_ROWS_MAX:
        errors.append(_too_long(where, ACTION_ROWS_MAX))
    seen: set[str] = set()
    for index, row in enumerate(components):
        errors.extend(_check_row(row, (*where, str(index)), seen))
    return errors
