"""`bot trace` and `bot report` after a demo run in a folder made by `bot init`: the viewer is
served on loopback and shows the run; it starts on a machine with only the system's Chromium,
and says so (exit 1) when it cannot."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_helpers import BOT, run_bot, run_bot_with
from playwright.sync_api import Page, expect
from support.trace_viewer import expand_every_group

pytestmark = pytest.mark.browser

# Playwright without its trace viewer's files (a broken or stripped install)
NO_VIEWER = "import playwright; playwright.__file__ = '/nonexistent/playwright/__init__.py'"


@dataclass
class DemoRun:
    folder: Path  # the working folder (`bot init`)
    run_id: str
    run_dir: Path


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    folder = tmp_path_factory.mktemp("work")
    assert run_bot(folder, "init").code == 0
    done = run_bot(folder, "run", "reauthorize", "--client", "demo", timeout=300)
    assert done.code == 0, done.out[-3000:] + done.err[-3000:]
    found = re.search(r"^\s+run ([0-9a-f]{8})", done.out, re.MULTILINE)
    report = re.search(r"^\s+report: (\S+)", done.out, re.MULTILINE)
    assert found, done.out
    assert report, done.out
    return DemoRun(folder, found.group(1), (folder / report.group(1)).parent)


@dataclass
class Served:
    url: str
    output: str = ""  # everything `bot trace` printed, once stopped


@contextmanager
def serving(
    cwd: Path, *args: str, env: dict[str, str] | None = None, ready: str = "serving until Ctrl-C"
) -> Iterator[Served]:
    """`bot trace ARGS…` running; once it printed `ready`, yields the URL it printed, then stops
    it (SIGTERM) and checks that it stopped cleanly."""
    process = subprocess.Popen(
        [str(BOT), "trace", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env or {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line)
            if ready in line:
                urls = [found.strip() for found in lines if found.strip().startswith("http://")]
                served = Served(urls[0])
                yield served
                break
        else:
            pytest.fail(f"bot trace never said {ready!r}:\n" + "".join(lines))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            rest, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()  # never leave a viewer behind
            process.communicate()
            raise
    served.output = "".join(lines) + rest
    assert (process.returncode, rest.strip().splitlines()[-1]) == (0, "stopped")


def test_the_verdict_and_the_report_name_a_trace_command_that_works(demo_run: DemoRun) -> None:
    result = run_bot(demo_run.folder, "report", demo_run.run_id)
    assert result.code == 0, result.err
    report = Path(demo_run.folder / result.out.strip())
    assert report == demo_run.run_dir / "report.html"
    assert "<code>bot trace trace.zip</code>" in report.read_text()
    assert "show-trace" not in report.read_text()


def test_report_self_contained_writes_the_copy_to_share(demo_run: DemoRun) -> None:
    result = run_bot(demo_run.folder, "report", demo_run.run_id, "--self-contained")
    assert result.code == 0, result.err
    shared = Path(demo_run.folder / result.out.strip())
    assert shared == demo_run.run_dir / "report-shared.html"
    page = shared.read_text()
    assert 'alt="screenshot of the final state" src="data:image/png;base64,' in page
    assert 'src="screenshots/' not in page


def test_trace_serves_the_run_in_playwright_s_viewer(demo_run: DemoRun, page: Page) -> None:
    with serving(demo_run.folder, demo_run.run_id, "--no-open") as served:
        url = served.url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/[\w-]{22}/trace/index\.html\?trace=\S+", url)
        page.goto(url)
        expand_every_group(page)
        expect(page.get_by_text('Fill "[secret]"')).to_have_count(2, timeout=30_000)
        expect(page.get_by_text("Click", exact=True).first).to_be_visible()
        root = url.split("/trace/")[0]  # http://127.0.0.1:PORT/<random path>
        assert page.request.get(root + "/trace.zip").ok
        assert page.request.get(root + "/trace/assets/").status == 404  # no folder listings
        guessed = root.rsplit("/", 1)[0] + "/guessed-path/trace.zip"
        assert page.request.get(guessed).status == 404  # only under the random path


def test_a_trace_by_path_needs_no_config(demo_run: DemoRun, tmp_path: Path, page: Page) -> None:
    with serving(tmp_path, str(demo_run.run_dir), "--no-open") as served:
        page.goto(served.url)
        expand_every_group(page)
        expect(page.get_by_text('Fill "[secret]"')).to_have_count(2, timeout=30_000)


def test_without_a_display_trace_keeps_serving_for_any_browser(
    demo_run: DemoRun, page: Page
) -> None:
    """`bot trace ID` opens a window of the bot's browser; with no display it says so and
    serves on, so the URL can be opened elsewhere (e.g. through an SSH tunnel)."""
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_CONFIG", "DISPLAY"}}
    env.pop("WAYLAND_DISPLAY", None)
    with serving(demo_run.folder, demo_run.run_id, env=env, ready="Ctrl-C stops") as served:
        page.goto(served.url)
        expand_every_group(page)
        expect(page.get_by_text('Fill "[secret]"')).to_have_count(2, timeout=30_000)
    assert "could not open a browser window: could not start the browser" in served.output
    assert "open the URL above in a browser; Ctrl-C stops the viewer" in served.output


def test_a_missing_trace_or_run_exits_2(demo_run: DemoRun) -> None:
    missing = run_bot(demo_run.folder, "trace", "runs/nope/trace.zip", "--no-open")
    assert (missing.code, missing.err.strip()) == (
        2,
        "no trace at runs/nope/trace.zip: give a run id (`bot runs` lists them), a run folder or "
        "a trace.zip",
    )
    unknown = run_bot(demo_run.folder, "trace", "deadbeef", "--no-open")
    assert unknown.code == 2
    assert "no run with id 'deadbeef'" in unknown.err


def test_when_the_viewer_cannot_start_trace_and_doctor_say_so(demo_run: DemoRun) -> None:
    traced = run_bot_with(NO_VIEWER, demo_run.folder, "trace", demo_run.run_id, "--no-open")
    assert traced.code == 1, traced
    assert "has no trace viewer at /nonexistent/playwright/driver" in traced.err
    assert "reinstall it (pip install --force-reinstall playwright)" in traced.err
    assert "Traceback" not in traced.err
    doctor = run_bot_with(NO_VIEWER, demo_run.folder, "doctor", "--no-launch")
    assert doctor.code == 1
    assert "problem     Playwright" in doctor.out
    assert "has no trace viewer" in doctor.out
    assert "ready to run" not in doctor.out


def test_a_run_with_a_config_elsewhere_prints_hints_that_work_from_here(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    """`bot --config …/config.yaml run` from another folder: `bot runs show ID` typed there
    would find no config; the verdict's hints name the config, and work as printed."""
    config = demo_run.folder / "config.yaml"
    done = run_bot(tmp_path, "--config", str(config), "run", "status", "--client", "demo")
    assert done.code == 0, done.out[-3000:] + done.err[-3000:]
    hint = re.search(r"\((bot --config \S+ runs show ([0-9a-f]{8}))\)", done.out)
    assert hint, done.out
    shown = run_bot(tmp_path, *hint.group(1).split()[1:])
    assert shown.code == 0, shown.err
    assert f"run {hint.group(2)}: status for demo" in shown.out
    here = run_bot(demo_run.folder, "run", "status", "--client", "demo")
    assert re.search(r"\(bot runs show [0-9a-f]{8}\)", here.out), here.out  # found from here
