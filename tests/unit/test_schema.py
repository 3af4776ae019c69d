"""The runbook JSON Schema is generated, checked in, and agrees with the loader; every action is
documented with an example that loads (robotframework-browser's `utest/test_docs.py` idea)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from bot import runbook_schema
from bot.cli import cli
from bot.language import Source, load_source, parse_yaml
from bot.steps import BUILTIN

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "runbooks" / "runbook.schema.json"
RUNBOOKS = sorted((ROOT / "runbooks").glob("*.yaml"))
EXAMPLE = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
ACTIONS = sorted(BUILTIN)


def examples(action: str) -> list[str]:
    return [textwrap.dedent(block) for block in EXAMPLE.findall(BUILTIN[action].doc)]


def as_runbook(steps: str) -> str:
    return "name: example\nsteps:\n" + textwrap.indent(steps, "  ")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = runbook_schema(BUILTIN)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_problems(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    """Short `path: message` lines (read as the bot reads YAML: keys like `on:` stay text)."""
    document = parse_yaml(Source("runbook.yaml", text))
    found = []
    for error in validator.iter_errors(document):
        best = jsonschema.exceptions.best_match([error])
        where = "/".join(str(part) for part in best.absolute_path)
        found.append(f"{where}: {best.message[:300]}")
    return found


def test_checked_in_schema_is_what_bot_schema_prints() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.output, (
        "runbooks/runbook.schema.json is stale: run `bot schema -o runbooks/runbook.schema.json`"
    )


def test_schema_lists_every_action() -> None:
    step = runbook_schema(BUILTIN)["$defs"]["Step"]
    assert sorted(branch["title"] for branch in step["then"]["oneOf"]) == ACTIONS
    assert set(ACTIONS) <= set(step["properties"])


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, schema) of every property the schema declares, at any depth."""
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}/{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


def test_every_property_has_a_description() -> None:
    schema = runbook_schema(BUILTIN)
    found = list(_properties(schema))
    assert len(found) > 100
    assert [where for where, value in found if not value.get("description")] == []


def test_closed_sets_are_offered_as_choices(validator: jsonschema.Draft202012Validator) -> None:
    defs = runbook_schema(BUILTIN)["$defs"]
    assert {"button", "link", "dialog", "switch", "textbox"} <= set(
        defs["Locator"]["properties"]["role"]["enum"]
    )
    assert set(defs["FailureKind"]["enum"]) >= {"not_found", "timeout", "server_error"}
    assert _schema_accepts(
        validator, [{"capture": {"text": "x", "get": "attribute:href", "as": "a"}}]
    )
    assert _schema_accepts(validator, [{"capture": {"label": "x", "get": "value", "as": "a"}}])
    assert not _schema_accepts(validator, [{"capture": {"label": "x", "get": "valeu", "as": "a"}}])
    assert not _schema_accepts(validator, [{"click": {"role": "buton", "name": "Save"}}])
    assert not _schema_accepts(validator, [{"click": "Save", "retry": {"on": ["timeot"]}}])


def test_a_misspelt_action_is_named_with_the_valid_ones(
    validator: jsonschema.Draft202012Validator,
) -> None:
    """One message, at the misspelt key, listing what it may be (what an editor shows), rather
    than "missing property 'capture'" from a mismatch with every action."""
    errors = list(validator.iter_errors({"name": "x", "steps": [{"clik": "Save", "label": "Go"}]}))
    (error,) = errors
    assert list(error.absolute_path) == ["steps", 0]
    assert error.validator == "enum"  # of `propertyNames`: the key is what is matched
    assert list(error.schema_path)[-2:] == ["propertyNames", "enum"]
    assert error.message.startswith("'clik' is not one of ['capture', 'check', 'choose', 'click'")


def test_a_step_needs_exactly_one_action(validator: jsonschema.Draft202012Validator) -> None:
    assert not _schema_accepts(validator, [{"label": "nothing to do"}])
    assert not _schema_accepts(validator, [{"click": "Save", "fill": {"A": "b"}}])


@pytest.mark.parametrize("path", RUNBOOKS, ids=[p.name for p in RUNBOOKS])
def test_each_runbook_is_valid_for_the_schema_and_the_loader(
    path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    text = path.read_text(encoding="utf-8")
    assert schema_problems(validator, text) == []
    load_source(Source(str(path), text), BUILTIN)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_documented_with_an_example(action: str) -> None:
    doc = BUILTIN[action].doc
    summary = doc.split("\n", 1)[0]
    assert summary.endswith("."), f"{action}: the docstring starts with a one-line summary"
    assert examples(action), f"{action}: the docstring needs a ```yaml example"


@pytest.mark.parametrize("action", ACTIONS)
def test_every_example_loads_as_a_step_of_its_action(
    action: str, validator: jsonschema.Draft202012Validator
) -> None:
    for block in examples(action):
        text = as_runbook(block)
        runbook = load_source(Source(f"{action} docstring", text), BUILTIN)
        assert runbook.steps, f"{action}: the example has no steps"
        assert {node.action for node in runbook.steps} == {action}
        assert schema_problems(validator, text) == []


# The documents are read as the bot reads them (keys such as `on:` stay text, as in YAML 1.2 and
# the editors' language servers), not with PyYAML's YAML 1.1 booleans.
def _schema_accepts(validator: jsonschema.Draft202012Validator, steps: Any) -> bool:
    return validator.is_valid({"name": "x", "steps": steps})


def test_schema_rejects_what_the_loader_rejects(validator: jsonschema.Draft202012Validator) -> None:
    assert _schema_accepts(validator, [{"click": "Save"}])
    assert _schema_accepts(
        validator,
        [{"click": {"role": "button", "name": "Save"}, "timeout": "5s", "retry": {"count": 2}}],
    )
    assert not _schema_accepts(validator, [{"clik": "Save"}])
    assert not _schema_accepts(validator, [{"click": "Save", "timeout": "soon"}])
    assert not _schema_accepts(validator, [{"fill": {"label": "Tenant ID", "valeu": "x"}}])
    assert not validator.is_valid({"name": "x", "steps": [], "step": []})
    assert not validator.is_valid({"steps": []})


def test_schema_file_is_json_with_an_id() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("runbook.schema.json")
    assert schema["required"] == ["name", "steps"]
