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


def runbook_schema(specs: Registry) -> dict[str, Any]:
    """The JSON Schema of runbooks whose steps are `specs`' actions."""
    classes: list[type[BaseModel]] = [DocumentHead, Envelope]
    classes += [spec.args_model for spec in specs.values()]
    mode: Literal["validation"] = "validation"
    models = [(model, mode) for model in classes]
    _, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = defs.get("$defs", {})
    envelope = definitions.pop("Envelope")
    steps = []
    for name, spec in sorted(specs.items()):
        action: dict[str, Any] = {"$ref": f"#/$defs/{spec.args_model.__name__}"}
        short = _shorthand_schema(spec)
        if short is not None:
            action = {"anyOf": [short, action]}
        action["description"] = spec.doc.split("\n", 1)[0]
        steps.append(
            {
                "type": "object",
                "title": name,
                "additionalProperties": False,
                "required": [name],
                "properties": {**envelope["properties"], name: action},
            }
        )
    definitions["Step"] = {"oneOf": steps}
    for holder in ("WithinArgs", "GroupArgs"):
        properties = definitions.get(holder, {}).get("properties", {})
        if "steps" in properties:
            properties["steps"] = {"type": "array", "items": {"$ref": "#/$defs/Step"}}
    head = definitions.pop("DocumentHead")
    step_list = {"type": "array", "items": {"$ref": "#/$defs/Step"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "runbook-bot runbook",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "steps"],
        "properties": {**head["properties"], "steps": step_list, "finally": step_list},
        "$defs": definitions,
    }
