"""The wheel a user installs (`pipx install runbook-bot`): every module, template, schema and
built-in runbook in it, under the project's own import names; its runtime needs no simulator,
test or unused library; and, installed alone, it works from a folder outside the checkout.

The wheel is built offline from a copy of the sources (pip wheel --no-build-isolation, with the
setuptools pinned in constraints/dev.txt). `scripts/check-wheel.sh` goes further (fresh
virtualenvs, the demo run, the trace viewer): `.ci/run` runs it.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib.metadata import distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "bot", "runbooks", "fixtures")
RUNTIME = {
    "playwright",
    "pyyaml",
    "python-dotenv",
    "click",
    "jinja2",
    "pydantic",
    "rich",
    "filelock",
    "greenlet",  # Playwright's own dependency; the fleet's runs are greenlets on its dispatcher
}
NOT_AT_RUNTIME = {
    "flask",
    "authlib",
    "requests",
    "werkzeug",
    "pytest",
    "pytest-playwright",
    "tenacity",
}


@dataclass
class Wheel:
    path: Path
    names: list[str]

    def metadata(self) -> email.message.Message:
        with zipfile.ZipFile(self.path) as archive:
            text = archive.read("runbook_bot-0.1.0.dist-info/METADATA").decode()
        return email.message_from_string(text)

    def read(self, name: str) -> str:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name).decode()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Wheel:
    source = tmp_path_factory.mktemp("source")
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=junk)
        else:
            shutil.copy(origin, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    (path,) = out.glob("runbook_bot-*.whl")
    with zipfile.ZipFile(path) as archive:
        return Wheel(path, sorted(archive.namelist()))


def shipped(folder: Path, into: str) -> set[str]:
    """What of `folder` the wheel must hold, under `into`: every file but bytecode."""
    return {
        f"{into}/{path.relative_to(folder).as_posix()}"
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_module_template_schema_and_runbook(wheel: Wheel) -> None:
    expected = (
        shipped(ROOT / "bot", "bot")
        | shipped(ROOT / "runbooks", "bot/runbooks")
        | shipped(ROOT / "fixtures" / "bot_sim", "bot_sim")
    )
    files = {name for name in wheel.names if ".dist-info/" not in name}
    assert sorted(expected - files) == []  # nothing missing…
    assert sorted(files - expected) == []  # …and nothing else
    assert {name.split("/")[0] for name in files} == {"bot", "bot_sim"}  # no top-level `fixtures`
    for needed in (
        "bot/evidence/templates/report.html.j2",
        "bot/runbooks/reauthorize.yaml",
        "bot/runbooks/runbook.schema.json",
        "bot/app/starter/config.yaml",
        "bot/py.typed",
        "bot_sim/assignar/templates/pages/signin.html",
        "bot_sim/assignar/templates/pencil/ui.html",
        "bot_sim/acumatica/templates/login.html",
    ):
        assert needed in files


def test_the_wheel_declares_its_commands_plugin_and_extras(wheel: Wheel) -> None:
    points = wheel.read("runbook_bot-0.1.0.dist-info/entry_points.txt")
    assert "[console_scripts]\nbot = bot.cli:main" in points
    assert "[pytest11]\nrunbook_bot = bot.pytest_plugin" in points
    extras = wheel.metadata().get_all("Provides-Extra") or []
    assert sorted(extras) == ["dev", "keyring", "pytest", "sim", "test"]


def test_a_plain_install_needs_no_simulator_test_or_unused_library(wheel: Wheel) -> None:
    requirements = [Requirement(line) for line in wheel.metadata().get_all("Requires-Dist") or []]
    runtime = {r.name.lower() for r in requirements if r.marker is None}
    assert runtime == RUNTIME
    sim = {r.name.lower() for r in requirements if r.marker and r.marker.evaluate({"extra": "sim"})}
    assert {"flask", "authlib", "requests"} <= sim


def test_what_a_plain_install_pulls_in_transitively() -> None:
    """Every package `pip install runbook-bot` brings (the dependency closure, as installed
    here): none of the simulators', the tests' or tenacity."""
    closure = runtime_closure("runbook-bot")
    assert closure & NOT_AT_RUNTIME == set()
    assert closure >= RUNTIME


def runtime_closure(name: str, seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    for line in distribution(name).requires or []:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = requirement.name.lower().replace("_", "-")
        if key not in seen:
            seen.add(key)
            runtime_closure(key, seen)
    return seen


@dataclass
class Installed:
    site: Path  # the wheel, unpacked
    work: Path  # an empty working folder outside the checkout

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`python ARGS…` in the working folder, the wheel first on the path (its dependencies
        come from this virtualenv)."""
        env = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.work,
            env={**env, "PYTHONPATH": str(self.site)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(wheel: Wheel, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel.path),
        ],
        check=True,
        timeout=300,
    )
    return Installed(site, tmp_path_factory.mktemp("work"))


def test_the_installed_wheel_works_outside_the_checkout(installed: Installed) -> None:
    where = installed.run(
        "-c", "import bot, bot_sim; print(bot.builtin_runbooks(), bot_sim.__file__)"
    )
    assert where.returncode == 0, where.stderr
    site = installed.site
    assert where.stdout.split() == [f"{site}/bot/runbooks", f"{site}/bot_sim/__init__.py"]
    assert installed.run("-m", "bot", "init").returncode == 0
    checked = installed.run("-m", "bot", "validate")
    assert checked.returncode == 0, checked.stderr
    assert "ok    reauthorize" in checked.stdout
    copied = installed.run("-m", "bot", "runbooks", "copy", "reauthorize")
    assert copied.returncode == 0, copied.stderr
    assert (installed.work / "runbooks" / "runbook.schema.json").is_file()


SIMULATOR_PAGES = """
import requests
from bot_sim.harness import start_simulators
for layout in ("menu", "pencil"):
    with start_simulators(layout=layout) as sims:
        for url in (sims.assignar_url + "/", sims.acumatica_url + "/Frames/Login.aspx"):
            answer = requests.get(url, timeout=30)
            print(layout, answer.status_code, "<form" in answer.text)
"""


def test_the_wheel_s_simulators_render_their_pages(installed: Installed) -> None:
    """The original failure: templates missing from the wheel made Flask answer 500."""
    pages = installed.run("-c", SIMULATOR_PAGES)
    assert pages.returncode == 0, pages.stderr
    assert pages.stdout.splitlines() == ["menu 200 True"] * 2 + ["pencil 200 True"] * 2
