"""Readable branching, checked before a run: named `any:` alternatives, `choose:` branches that
name what was found, and comparisons that can only be with those names. No shipped runbook
branches on the index of an alternative."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import Catalog, Runbook, StepNode, ValidationFailed, validate
from bot.language import Source, load_source
from bot.steps import BUILTIN

Broken = Callable[[str], ValidationFailed]
Load = Callable[[str], Runbook]
RUNBOOKS = sorted((Path(__file__).resolve().parents[2] / "runbooks").glob("*.yaml"))


def headlines(error: ValidationFailed) -> list[str]:
    return [d.headline() for d in error.diagnostics]


def test_choose_loads_each_branch_with_its_own_paths_and_lines(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - choose:
              any:
                consent: {role: heading, name: "/requesting your permission/i"}
                back: {text: Renewed}
              then:
                consent:
                  - click: Yes, Allow
                back: []
        """)
    (node,) = runbook.steps
    (allow,) = node.branch("consent")
    assert (allow.path, allow.line) == ("steps[0].choose.then.consent[0]", 9)
    assert node.branch("back") == ()
    assert node.branch("nothing") == ()


def test_a_branch_no_alternative_is_named_for_is_an_error_at_its_line(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - choose:
              any:
                consent: {text: Allow}
                back: {text: Renewed}
              then:
                concent:
                  - click: Allow
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:8: steps[0].choose.then.concent: no alternative is named 'concent' — "
        "did you mean 'consent'?: a branch of `then:` runs when the alternative of that name is "
        "found"
    ]


def test_comparing_what_was_found_with_a_name_it_cannot_hold_is_an_error(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - wait_for:
              any:
                consent: {text: Allow}
                back: {text: Renewed}
              as: page
          - click: Allow
            when: "vars.page == 'concent'"
          - click: Done
            when: "vars.page in ['back', 'consent']"
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:9: steps[1].when: vars.page holds the name of the `any:` alternative "
        "found, never 'concent' — did you mean 'consent'?"
    ]


@pytest.mark.parametrize(
    ("alternatives", "expected"),
    [
        ("{1st: {text: A}}", "an alternative's name is a word"),
        ("{a: {any: {b: {text: A}}}}", "a named alternative may hold an `any:` list, not more"),
        ("[{any: [{text: A}]}]", "an `any:` list holds locators, not further `any:` lists"),
    ],
)
def test_alternatives_are_named_with_words_and_nest_once(
    broken: Broken, alternatives: str, expected: str
) -> None:
    error = broken(f"name: x\nsteps:\n  - click: {{any: {alternatives}}}\n")
    assert expected in error.message


def _stored_alternatives(nodes: tuple[StepNode, ...]) -> list[tuple[str, list[str]]]:
    """(where, the names it may store) for each step that stores which alternative it found."""
    from bot.language.branch_checks import found_names

    found = []
    for node in nodes:
        for names in found_names(node).values():
            found.append((node.where, list(names)))
        found += _stored_alternatives(node.children)
    return found


@pytest.mark.parametrize("path", RUNBOOKS, ids=[p.name for p in RUNBOOKS])
def test_no_shipped_runbook_branches_on_an_alternatives_index(path: Path) -> None:
    runbook = load_source(Source(str(path), path.read_text(encoding="utf-8")), BUILTIN)
    for where, names in _stored_alternatives((*runbook.steps, *runbook.finally_)):
        assert not any(name.isdigit() for name in names), f"{where}: name the alternatives"
    assert "as:" not in runbook.source.text or all(
        not (line.strip().startswith("when:") and any(f"== '{d}'" in line for d in "0123456789"))
        for line in runbook.source.text.splitlines()
    )


def test_a_capture_with_alternatives_stores_text_not_a_name(load_yaml: Load) -> None:
    """`capture … as:` holds what it read, so comparing it with any text is fine."""
    runbook = load_yaml("""\
        name: x
        steps:
          - capture: {any: {title: {role: heading}, body: {text: Hello}}, as: said}
          - click: Save
            when: "vars.said == 'Hello there'"
        """)
    validate(runbook, Catalog([], BUILTIN), None, None)  # raises ValidationFailed on a problem
