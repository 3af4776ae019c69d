"""Integration fixtures: the pages in `pages/` served on two loopback origins, and a runner that
takes a runbook's YAML and runs it in pytest-playwright's `page` the way `bot run` would."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import SECRET_VALUE, Outcome, RunYaml, Site, serve

from bot import Catalog, Config, Event, EventBus, make_plan
from bot.engine import Runner, RunSettings, RunState
from bot.evidence import RunFolder
from bot.steps import BUILTIN, PlaywrightServices


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """The pages, on the origin the client's secrets are allowed for."""
    yield from serve()


@pytest.fixture(scope="session")
def other_site() -> Iterator[Site]:
    """The same pages on a second port: another origin."""
    yield from serve()


@pytest.fixture(scope="session")
def shared_context(browser: Any) -> Iterator[Any]:
    """One browser context for the whole session: a fresh context per test costs more than the
    test itself. The pages use no cookies or storage, so nothing carries over between tests."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(shared_context: Any) -> Iterator[Any]:
    """pytest-playwright's `page`, as a new tab of the shared context, closed after the test."""
    tab = shared_context.new_page()
    yield tab
    tab.close()


@pytest.fixture
def run_yaml(
    page: Any, site: Site, other_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> RunYaml:
    """Run a runbook's YAML for client `t` (site_url = `site`, secret `pw` allowed there only).

    `steps` is the YAML under `steps:`; `{site}` and `{other}` in it become the two origins.
    Extra runbooks for `use:` go in `others` by name. The whole plan (checks, params, secrets)
    is made exactly as `bot run` makes it. Per-step evidence screenshots are off (the evidence
    tests cover them); the `screenshot` action still writes its files.
    """
    monkeypatch.setenv("T_PW", SECRET_VALUE)
    folder = tmp_path / "runbooks"
    folder.mkdir()
    config = Config.model_validate(
        {
            "timeout": "2s",
            "clients": {
                "t": {
                    "settings": {
                        "site_url": site.url,
                        "other_url": other_site.url,
                        "tenant": "Acme Live",
                    },
                    "secrets": {"pw": {"ref": "env:T_PW", "origins": ["site_url"]}},
                }
            },
        }
    )

    def run(
        steps: str,
        *,
        params: dict[str, Any] | None = None,
        head: str = "",
        final: str = "",
        others: dict[str, str] | None = None,
    ) -> Outcome:
        for name, text in (others or {}).items():
            (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        indented = textwrap.indent(textwrap.dedent(steps), "  ")
        body = f"name: t\n{textwrap.dedent(head)}steps:\n{indented}"
        if final:
            body += f"finally:\n{textwrap.indent(textwrap.dedent(final), '  ')}"
        if "requires:" not in head:  # last, so that the lines of the steps stay as written
            body += "requires: [site_url, other_url, tenant]\n"
        body = body.replace("{site}", site.url).replace("{other}", other_site.url)
        (folder / "t.yaml").write_text(body, encoding="utf-8")
        catalog = Catalog([folder], BUILTIN)
        plan = make_plan(config, catalog, "t", "t", params or {})
        events: list[Event] = []
        state = RunState(client=plan.client, params=plan.params, secrets=plan.secrets)
        settings = RunSettings(
            config.timeout,
            files=RunFolder(tmp_path / "run"),
            screenshots=None,
            say=lambda text: None,
        )
        result = Runner(
            PlaywrightServices(page),
            state,
            EventBus([events.append]),
            registry=BUILTIN,
            runbooks=catalog.get_named,
            settings=settings,
        ).run(plan.runbook, "t")
        return Outcome(result, events, tmp_path / "run")

    return run
