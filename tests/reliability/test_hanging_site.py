"""A site that accepts the connection and never answers (a hung server, a stuck proxy).

Before: the run waited for ever. A click that sent the page there left the frame navigating, and
Playwright's `Frame.evaluate` and `Locator.count` (no timeout of their own) waited for that page;
the traffic listener's `request.all_headers()` also waited for the answer, holding back every
later listener of the request. Now the step fails within the navigation timeout, kind `timeout`,
naming the address, the method and path, and the client's setting it is under; the page stays on
the document it had, and the run goes on to its `finally` and its verdict.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import Catalog, RunOptions, execute, load_config
from bot.evidence import Scrubber
from bot.steps import BUILTIN

RUNBOOK = """name: hang
requires: [site_url]
steps:
  - goto: "{{{{ client.site_url }}}}/{start}"
{step}
  - expect: {{text: Never shown}}
finally:
  - label: Still able to look at the page
    goto: "{{{{ client.site_url }}}}/"
"""
CASES = {
    "link": ("", '  - click: {role: link, name: "Go on"}', "GET /hang"),
    "form": ("", "  - click: Send", "POST /hang"),
    "goto": ("hang", "", "GET /hang"),
}


@pytest.mark.timeout(240)  # without the fix the run never ends
@pytest.mark.parametrize("case", list(CASES))
def test_a_site_that_never_answers_fails_the_step_naming_it(
    hanging_site: str, tmp_path: Path, case: str
) -> None:
    start, step, request = CASES[case]
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "hang.yaml").write_text(
        RUNBOOK.format(start=start, step=step), encoding="utf-8"
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        "runbooks: [runbooks]\ntimeout: 3s\nnavigation_timeout: 4s\nclients:\n  local:\n"
        f"    settings:\n      site_url: {hanging_site}\n",
        encoding="utf-8",
    )
    loaded = load_config(config)
    catalog = Catalog([loaded.resolve(folder) for folder in loaded.runbooks], BUILTIN)
    out = io.StringIO()
    outcome = execute(loaded, catalog, "hang", "local", {}, RunOptions(), out)
    said = out.getvalue()
    assert outcome.result.verdict == "failed", said
    error = outcome.result.error
    assert error is not None, said
    assert error.kind == "timeout", said
    message = error.message
    assert f"{hanging_site} has not answered {request} within 4s" in message, said
    assert "check the client's setting `site_url`" in message, said
    # the page was given up on: `finally` could still use the browser
    assert "Still able to look at the page" in said
    assert "FAILED" in said
    assert (outcome.folder / "report.html").is_file()
    assert Scrubber([]).assert_clean(outcome.folder) == []
