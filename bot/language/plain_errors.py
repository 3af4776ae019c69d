"""Pydantic's validation errors in the runbook's words, with what to write instead: "count must
be a whole number (e.g. `count: 2`)", not "Input should be a valid integer, unable to parse string
as an integer"; "unknown field 'tiemout' — did you mean 'timeout'?". The value written is never
quoted back: it may be a secret written where it does not belong."""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from bot.language.suggestions import closest, did_you_mean

# the fields that may be written where a field was not known, each with a note on where it goes
# ("" when it goes right there), by the error's location
FieldHints = Callable[[Sequence[Any]], Mapping[str, str]]

MAPPING_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type"})
_LIST = ("list_type", "tuple_type", "set_type")
_WHOLE = ("int_parsing", "int_type", "int_from_float")
_NUMBER = ("float_parsing", "float_type")
_BOOL = ("bool_parsing", "bool_type")
_PATTERNS = {  # the patterns of fields, in words
    r"^[A-Za-z_][A-Za-z0-9_]*$": "a name of letters, digits and `_`, not starting with a digit "
    "(e.g. `tenant_id`)",
    r"^[\w.-]+$": "a file name of letters, digits, `.`, `-` and `_` (e.g. `before-save`)",
}
_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("more than", "gt"),
    "less_than": ("less than", "lt"),
}


def plain_message(item: Any, hints: FieldHints | None = None) -> str:
    """One pydantic error (`ValidationError.errors()` item) in plain words."""
    kind, loc, value = item["type"], tuple(item["loc"]), item.get("input")
    field = _field_of(loc)
    if kind == "extra_forbidden":
        written = str(loc[-1])
        allowed = hints(loc[:-1]) if hints is not None else {}
        close = closest(written, allowed)
        if close == written:  # allowed, but elsewhere: the note says where
            return f"unknown field '{written}' here{allowed[close]}"
        if close is not None:
            return f"unknown field '{written}' — did you mean '{close}'?{allowed[close]}"
        return f"unknown field '{written}'{did_you_mean(written, allowed) if allowed else ''}"
    if kind == "missing":
        return "field required"
    given = describe_kind(value)
    key = f"{loc[-1]}: " if loc and isinstance(loc[-1], str) else ""  # for an example
    if kind in MAPPING_ERRORS:
        return f"{field} takes a mapping (`{key}{{name: value, …}}`), not {given}"
    if kind in _LIST:
        return f"{field} takes a list (`{key}[a, b]`, or one `- ` line per item), not {given}"
    if kind in _WHOLE:
        return f"{field} must be a whole number (e.g. `{key}2`), not {given}"
    if kind in _NUMBER:
        return f"{field} must be a number (e.g. `{key}1.5`), not {given}"
    if kind in _BOOL:
        return f"{field} must be true or false, not {given}"
    if kind == "string_type":
        return f"{field} must be text, not {given}"
    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
        close = did_you_mean(str(value), choices) if choices else ""
        return f"{field} must be one of {', '.join(choices)}{close}"
    if kind == "string_pattern_mismatch":
        pattern = str(item.get("ctx", {}).get("pattern", ""))
        words = _PATTERNS.get(pattern, f"of the form /{pattern}/")
        return f"{field} must be {words}"
    if kind == "too_short" and isinstance(value, Mapping | list | tuple):
        least = item.get("ctx", {}).get("min_length", 1)
        return f"{field} needs at least {least} item{'s' if least != 1 else ''}, not none"
    if kind in _BOUNDS:
        words, bound = _BOUNDS[kind]
        return f"{field} must be {words} {item.get('ctx', {}).get(bound)}"
    return str(item["msg"]).removeprefix("Value error, ")


def _field_of(loc: Sequence[Any]) -> str:
    """The name the error is about: `count` for `retry.count`, `each item of requires` for
    `requires[2]`."""
    names = [part for part in loc if isinstance(part, str) and not is_union_tag(part)]
    if not names:
        return "the value"
    return f"each item of {names[-1]}" if isinstance(loc[-1], int) else names[-1]


def describe_kind(value: Any) -> str:
    """`a mapping`, `a list`, `text`: what kind of value was written (never the value itself,
    which may be a secret written where it does not belong)."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "nothing (the value is empty)"
    return "text"


def is_union_tag(part: Any) -> bool:
    """`function-after[…]`, `str`, `FillArgs`: the member of a union pydantic tried."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def model_hints(model: type[BaseModel]) -> FieldHints:
    """The fields a value inside `model` may have, at each location (nested models, lists and
    mappings of them, and unions, followed)."""

    def at(loc: Sequence[Any]) -> Mapping[str, str]:
        return dict.fromkeys(fields_at(model, loc), "")

    return at


def fields_at(model: type[BaseModel], loc: Sequence[Any]) -> set[str]:
    """The field names (as written: aliases) a mapping at `loc` inside `model` may have."""
    types_here: list[Any] = [model]
    for part in loc:
        if is_union_tag(part):
            continue
        named = [t for t in _alternatives(types_here) if getattr(t, "__name__", None) == part]
        if named:  # a union's member, named by pydantic
            types_here = named
            continue
        types_here = [inner for t in _alternatives(types_here) for inner in _inside(t, part)]
    return {
        field.alias or name
        for t in _alternatives(types_here)
        if isinstance(t, type) and issubclass(t, BaseModel)
        for name, field in t.model_fields.items()
    }


def _alternatives(annotations: list[Any]) -> Iterator[Any]:
    """Each type `annotations` may be: through `X | None`, `Union`, `Annotated`."""
    for annotation in annotations:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            yield from _alternatives(list(get_args(annotation)))
        elif origin is Annotated:
            yield from _alternatives([get_args(annotation)[0]])
        else:
            yield annotation


def _inside(annotation: Any, part: Any) -> list[Any]:
    """The type of `annotation[part]`: a model's field, a list's item, a mapping's value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return [field.annotation]
        return []
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (list, tuple, set, frozenset, Sequence) and isinstance(part, int) and args:
        return [args[0]]
    if origin in (dict, Mapping) and len(args) == 2:
        return [args[1]]
    return []
