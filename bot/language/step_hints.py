"""What to write instead, for the mistakes made inside one step: a step field misspelt (`lable:`,
read as a second action), a step field written inside the action's arguments, or arguments of
the wrong shape (`fill: [a, b]`), answered with the action's own documented examples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.language.envelope import ENVELOPE_FIELDS
from bot.language.plain_errors import MAPPING_ERRORS, FieldHints, describe_kind, fields_at
from bot.language.registry import StepSpec
from bot.language.suggestions import closest

__all__ = [
    "MAPPING_ERRORS",
    "argument_hints",
    "beside_their_action",
    "misspelt_step_field",
    "misspelt_step_fields",
    "outside_any",
    "short_form_misused",
    "written_like",
]


def misspelt_step_fields(keys: Iterable[Any], actions: Mapping[str, Any]) -> dict[str, str]:
    """The keys of a step that are neither actions nor step fields but close to a step field
    (`lable` → `label`), each with that field."""
    found = {}
    for key in keys:
        if key in actions or key in ENVELOPE_FIELDS:
            continue
        close = closest(str(key), ENVELOPE_FIELDS)
        if close is not None and closest(str(key), actions) is None:
            found[str(key)] = close
    return found


def misspelt_step_field(key: str, field: str) -> str:
    return (
        f"unknown field '{key}' — did you mean '{field}'? (besides its one action, a step may "
        f"have the fields {', '.join(sorted(ENVELOPE_FIELDS))})"
    )


def argument_hints(spec: StepSpec) -> FieldHints:
    """The fields allowed at each place inside `spec`'s arguments (the errors' locations start
    with the action's name); at the top, the step's own fields too, with where they go."""
    beside = f" ({{field}} is a field of the step: write it beside `{spec.name}:`, not inside it)"

    def at(loc: Sequence[Any]) -> Mapping[str, str]:
        inner = tuple(loc[1:])
        allowed = dict.fromkeys(fields_at(spec.args_model, inner), "")
        if not inner:
            allowed = {
                **{name: beside.format(field=name) for name in ENVELOPE_FIELDS},
                **allowed,
            }
        return allowed

    return at


def written_like(spec: StepSpec, value: Any) -> str:
    """`fill: [a, b]`: how the action is written, from its documented examples."""
    examples = [
        line.strip().removeprefix("- ").split("  #", 1)[0].strip()
        for line in spec.doc.splitlines()
        if line.strip().startswith(f"- {spec.name}:") and line.strip() != f"- {spec.name}:"
    ]
    shown = " or ".join(f"`{example}`" for example in examples[:2])
    like = f": write it like {shown}" if shown else ""
    return f"{spec.name} cannot take {describe_kind(value)}{like}"


def beside_their_action(
    step: Mapping[Any, Any], actions: Mapping[str, StepSpec]
) -> tuple[str, str] | None:
    """(the key to point at, what to do) for arguments written at their action's indentation:
    `- fill:` then `label:`, `value:` (YAML reads an empty action with its arguments beside it),
    or `- wait_for: {…}` then `as: page`; None when that is not the mistake."""
    named = [key for key in step if key in actions]
    if len(named) != 1:
        return None
    action = str(named[0])
    fields = fields_at(actions[action].args_model, ())
    stray = [key for key in step if key != action and key not in ENVELOPE_FIELDS]
    if not stray or any(key not in fields for key in stray):
        return None
    if step[action] is not None:  # the action has its own mapping: only the others are astray
        return str(stray[0]), (
            f"{', '.join(map(str, stray))} {'are fields' if len(stray) > 1 else 'is a field'} of "
            f"`{action}`, written beside it: indent {'them' if len(stray) > 1 else 'it'} under "
            f"`{action}:`, with its other fields"
        )
    beside = [str(key) for key in step if key != action and key in fields]
    return action, (
        f"`{action}:` has nothing under it, and {', '.join(beside)} "
        f"{'are' if len(beside) > 1 else 'is'} beside it instead: indent "
        f"{'them' if len(beside) > 1 else 'it'} under `{action}:`, two spaces further than "
        f"`{action}`"
    )


def outside_any(spec: StepSpec, raw: Any) -> str | None:
    """`choose:` with its alternatives written straight under it, without `any:`: what to do
    (None when that is not the mistake)."""
    if not spec.branches or not isinstance(raw, Mapping) or "any" in raw:
        return None
    fields = fields_at(spec.args_model, ())
    alternatives = [str(key) for key in raw if key not in fields]
    if not alternatives:
        return None
    which = f"the alternative{'s' if len(alternatives) > 1 else ''} {', '.join(alternatives)}"
    return (
        f"{which} {'go' if len(alternatives) > 1 else 'goes'} under `any:` "
        f"(`any: {{{alternatives[0]}: {{…}}, …}}`), beside `then:`"
    )


def short_form_misused(spec: StepSpec, raw: Any) -> str | None:
    """`fill: {Email: a, Password: b}` or `fill: {Email: a, timeout: 5s}`: the short form
    `{Label: value}` holds one key. What to write instead, or None when that is not the mistake."""
    if not isinstance(raw, Mapping) or len(raw) < 2 or spec.shorthand is None:
        return None
    fields = fields_at(spec.args_model, ())
    labels = [str(key) for key in raw if key not in fields and key not in ENVELOPE_FIELDS]
    if any(_misspelt_field(label, fields) for label in labels):  # said as such
        return None
    if not labels or not _a_short_form(spec, labels[0], raw[labels[0]]):
        return None
    first = f"`- {spec.name}: {{{labels[0]}: …}}`"
    if len(labels) > 1:
        return (
            f"one {spec.name} step acts on one element ({', '.join(labels)} are written here): "
            f"write a step for each, {first} then `- {spec.name}: {{{labels[1]}: …}}`"
        )
    step = [str(key) for key in raw if key in ENVELOPE_FIELDS and key not in fields]
    if step:
        return (
            f"{', '.join(step)} {'are fields' if len(step) > 1 else 'is a field'} of the step, "
            f"not of the short form {{{labels[0]}: …}}: write {first}, and `{step[0]}: …` "
            f"beside `{spec.name}:` on the next line"
        )
    others = [str(key) for key in raw if key in fields]
    by = "name" if getattr(spec.parse({labels[0]: raw[labels[0]]}), "name", None) else "label"
    return (
        f"the short form {{{labels[0]}: …}} stands alone: with {', '.join(others)}, write the "
        f"full form (`{spec.name}: {{{by}: {labels[0]}, …}}`; `bot schema` lists its fields)"
    )


def _misspelt_field(key: str, fields: set[str]) -> bool:
    """`valeu` (lower-case, like the fields, and close to one), not a label such as `Enable`."""
    return key.isidentifier() and key.islower() and closest(key, fields) is not None


def _a_short_form(spec: StepSpec, key: str, value: Any) -> bool:
    try:
        spec.parse({key: value})
    except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError
        return False
    return True
