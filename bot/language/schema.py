"""The runbook JSON Schema, generated from the registered step models (never kept by hand)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bot.language.document import DocumentHead
from bot.language.envelope import Envelope
from bot.language.registry import Registry, StepSpec

SCHEMA_ID = "https://runbook-bot.invalid/runbook.schema.json"


def _shorthand_schema(spec: StepSpec) -> dict[str, Any] | None:
    if spec.shorthand is None:
        return None
    declared = getattr(spec.shorthand, "json_schema", None)
    return dict(declared) if declared else {"type": "string", "description": "shorthand form"}


def _action_schema(spec: StepSpec) -> dict[str, Any]:
    action: dict[str, Any] = {"$ref": f"#/$defs/{spec.args_model.__name__}"}
    short = _shorthand_schema(spec)
    if short is not None:
        action = {"anyOf": [short, action]}
    action["description"] = spec.doc.split("\n", 1)[0]
    return action


def _step_schema(specs: Registry, envelope: dict[str, Any]) -> dict[str, Any]:
    """A step: the envelope's fields and the actions, all as properties, so that an editor
    completes them and names a misspelt key at once (`propertyNames`: "valid values: capture,
    check, …"), rather than a mismatch with each of the actions' branches. Exactly one action
    is required only once every key is a known one, so a misspelt action gets only that message.
    """
    actions = sorted(specs)
    properties = {
        **envelope["properties"],
        **{name: _action_schema(specs[name]) for name in actions},
    }
    return {
        "type": "object",
        "description": "one action (`click: Save`) and optional envelope fields (`label`, `when`, "
        "`optional`, `timeout`, `retry`, `id`)",
        "properties": properties,
        "propertyNames": {"enum": sorted(properties)},
        "if": {"propertyNames": {"enum": sorted(properties)}},
        "then": {"oneOf": [{"required": [name], "title": name} for name in actions]},
    }


def _step_list(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": "#/$defs/Step"}, "description": description}


def runbook_schema(specs: Registry) -> dict[str, Any]:
    """The JSON Schema of runbooks whose steps are `specs`' actions."""
    classes: list[type[BaseModel]] = [DocumentHead, Envelope]
    classes += [spec.args_model for spec in specs.values()]
    mode: Literal["validation"] = "validation"
    models = [(model, mode) for model in classes]
    _, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = defs.get("$defs", {})
    envelope = definitions.pop("Envelope")
    definitions["Step"] = _step_schema(specs, envelope)
    for holder in definitions.values():  # nested steps (`within`, `group`, `choose … then:`)
        properties = holder.get("properties", {})
        if "steps" in properties:
            properties["steps"] = _step_list(properties["steps"].get("description", "steps"))
        if "then" in properties:
            properties["then"] = {
                "type": "object",
                "description": properties["then"].get("description", ""),
                "additionalProperties": _step_list("the steps of this branch"),
            }
    head = definitions.pop("DocumentHead")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "runbook-bot runbook",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "steps"],
        "properties": {
            **head["properties"],
            "steps": _step_list("what the runbook does, in order; the run stops at a failed step"),
            "finally": _step_list("steps run after `steps`, whether they passed or failed"),
        },
        "$defs": definitions,
    }
