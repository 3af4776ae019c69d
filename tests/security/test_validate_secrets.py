"""Attack class: a careless runbook, found before any browser starts. `bot validate` refuses a
password written in a runbook without echoing it; finds a `capture` of the field a `use`d
runbook typed a secret into; and, given the client and the params, a param that does not name a
secret, or holds one. Every output is scanned for every spelling of the canaries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from canaries import CANARIES, NFC, spellings_table
from security_helpers import Project
from support.artifacts import found_in
from support.cli import bot_without_browser
from support.project import Result

from bot import MASK

Bot = Callable[..., Result]

SIGN_IN = """\
name: sign-in
params:
  which: {type: string, default: pw, description: the secret to type}
steps:
  - goto: "{{ client.site_url }}/echo.html"
  - fill: {label: Secret field, value: "{{ secret(params.which) }}"}
requires: [site_url]
"""
READS_IT_BACK = """\
name: reads-it-back
steps:
  - use: sign-in
  - capture: {label: Secret field, get: value, as: typed}
"""


@pytest.fixture
def bot(
    chdir_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Bot]:
    with bot_without_browser(monkeypatch, capsys) as run:
        yield run


def said_no_secret(result: Result) -> None:
    hits = found_in([("output", (result.out + result.err).encode())], spellings_table(CANARIES))
    assert hits == [], hits


def test_a_literal_password_is_refused_and_not_echoed(project: Project, bot: Bot) -> None:
    path = project.runbook(
        "literal",
        f"name: literal\nsteps:\n  - fill: {{Password: {json.dumps(NFC)}}}\n",
    )
    assert json.dumps(NFC) in path.read_text(encoding="utf-8")  # control: it is in the file
    result = bot("validate", "literal")
    assert result.code == 2, result
    assert "literal.yaml:3: steps[0].fill.value: literal secret" in result.err
    assert f'fill: {{Password: "{MASK}"}}' in result.err
    said_no_secret(result)


@pytest.mark.parametrize("clients", [("--client", "pages"), ("--all-clients",)])
def test_a_secret_on_a_line_with_a_yaml_error_is_masked_by_validate_for_a_client(
    project: Project, bot: Bot, clients: tuple[str, ...]
) -> None:
    """The lines around a YAML syntax error are shown: masked with the client's secrets."""
    path = project.runbook(
        "y3",
        f"name: y3\ndescription: x\nsteps:\n  - fill: {{Other: {NFC}\n  - click: {NFC}: x\n",
    )
    assert NFC in path.read_text(encoding="utf-8")  # control: it is in the file
    result = bot("validate", "y3", *clients)
    assert result.code == 2, result
    assert "y3.yaml:5: YAML syntax error" in result.err
    assert f"> 5 |   - click: {MASK}: x" in result.err
    said_no_secret(result)


def test_a_capture_of_the_field_a_used_runbook_typed_into_is_found(
    project: Project, bot: Bot
) -> None:
    project.runbook("sign-in", SIGN_IN)
    project.runbook("reads-it-back", READS_IT_BACK)
    result = bot("validate", "reads-it-back")
    assert result.code == 2, result
    assert (
        "reads-it-back.yaml:4: steps[1]: capture would read the field a secret is typed into at "
    ) in result.err
    assert "sign-in.yaml:6" in result.err
    assert "Traceback" not in result.err
    said_no_secret(result)


def test_a_param_that_names_no_secret_or_holds_one_is_found(project: Project, bot: Bot) -> None:
    project.runbook("sign-in", SIGN_IN)
    assert bot("validate", "sign-in", "--client", "pages").code == 0  # control: as it is, fine
    wrong = bot("validate", "sign-in", "--client", "pages", "--param", "which=site_url")
    assert wrong.code == 2, wrong
    assert "sign-in.yaml:6: steps[1].fill.value: params.which is 'site_url'" in wrong.err
    assert "params.which is 'site_url', which is not one of the client's secrets" in wrong.err
    holding = bot("validate", "sign-in", "--client", "pages", "--param", f"which={NFC}")
    assert holding.code == 2, holding
    assert "--param which holds the value of the client's secret 'pw'" in holding.err
    run = bot("run", "sign-in", "--client", "pages", "--param", f"which={NFC}")
    assert run.code == 2, run
    plan = bot("plan", "sign-in", "--client", "pages", "--param", f"which={NFC}")
    assert plan.code == 2, plan
    assert "--param which holds the value of the client's secret 'pw'" in plan.err
    for result in (wrong, holding, run, plan):
        said_no_secret(result)
