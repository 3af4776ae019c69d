"""Integration fixtures: the pages in `pages/` served on two loopback origins, and a runner that
takes a runbook's YAML and runs it in pytest-playwright's `page` the way `bot run` would."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot._core.catalog import Catalog
from bot._core.config import Config
from bot._core.context import RunContext
from bot._core.engine import Runner, RunResult
from bot._core.events import Event, EventBus, StepEvent
from bot._core.plan import make_plan

PAGES = Path(__file__).parent / "pages"
SECRET_VALUE = "Pw-0f-the-integration-user"


class _Pages(SimpleHTTPRequestHandler):
    """Static pages, plus `/redirect?to=URL` (302) to move to another origin."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0])
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@dataclass(frozen=True)
class Site:
    """One served origin; `site("form.html")` is a page's URL."""

    url: str  # http://127.0.0.1:PORT

    def __call__(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"


def _serve() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Pages, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    """The pages, on the origin the client's secrets are allowed for."""
    yield from _serve()


@pytest.fixture(scope="session")
def other_site() -> Iterator[Site]:
    """The same pages on a second port: another origin."""
    yield from _serve()


@dataclass
class Outcome:
    result: RunResult
    events: list[Event]
    run_dir: Path

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def message(self) -> str:
        return self.result.error.message if self.result.error else ""

    @property
    def kind(self) -> str:
        return str(self.result.error.kind) if self.result.error else ""

    @property
    def vars(self) -> dict[str, str]:
        return self.result.vars

    def steps(self, status: str | None = None) -> list[StepEvent]:
        return [e for e in self.events
                if isinstance(e, StepEvent) and (status is None or e.status == status)]


RunYaml = Callable[..., Outcome]


@pytest.fixture
def run_yaml(page: Any, site: Site, other_site: Site, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> RunYaml:
    """Run a runbook's YAML for client `t` (site_url = `site`, secret `pw` allowed there only).

    `steps` is the YAML under `steps:`; `{site}` and `{other}` in it become the two origins.
    Extra runbooks for `use:` go in `others` by name. The whole plan (checks, params, secrets)
    is made exactly as `bot run` makes it.
    """
    monkeypatch.setenv("T_PW", SECRET_VALUE)
    folder = tmp_path / "runbooks"
    folder.mkdir()
    config = Config.model_validate({
        "timeout": "2s",
        "clients": {"t": {
            "settings": {"site_url": site.url, "other_url": other_site.url, "tenant": "Acme Live"},
            "secrets": {"pw": {"ref": "env:T_PW", "origins": ["site_url"]}},
        }},
    })

    def run(steps: str, *, params: dict[str, Any] | None = None, head: str = "",
            final: str = "", others: dict[str, str] | None = None) -> Outcome:
        for name, text in (others or {}).items():
            (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        body = f"name: t\n{textwrap.dedent(head)}steps:\n{textwrap.indent(textwrap.dedent(steps), '  ')}"
        if final:
            body += f"finally:\n{textwrap.indent(textwrap.dedent(final), '  ')}"
        body = body.replace("{site}", site.url).replace("{other}", other_site.url)
        (folder / "t.yaml").write_text(body, encoding="utf-8")
        catalog = Catalog([folder])
        plan = make_plan(config, catalog, "t", "t", params or {})
        events: list[Event] = []
        ctx = RunContext(page, default_timeout=config.timeout, client=plan.client,
                         params=plan.params, secrets=plan.secrets, run_dir=tmp_path / "run",
                         say=lambda text: None)
        result = Runner(ctx, EventBus([events.append]), catalog).run(plan.runbook, "t")
        return Outcome(result, events, tmp_path / "run")

    return run
