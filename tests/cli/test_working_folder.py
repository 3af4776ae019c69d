"""A working folder outside the checkout, as a new user makes one: `bot init`, the built-in
runbooks, `bot runbooks copy`, and the messages when something is missing."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from cli_helpers import BOT, Project, run_bot, run_bot_with

REPO = Path(__file__).resolve().parents[2]
BUILTIN = (
    "acumatica-sign-in",
    "acumatica-version",
    "assignar-sign-in",
    "connected-application-refresh-tokens",
    "reauthorize",
    "sliding-expiration",
    "status",
)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_init_writes_a_folder_where_the_built_in_runbooks_run(empty: Path) -> None:
    made = run_bot(empty, "init")
    assert made.code == 0, made.err
    assert sorted(p.name for p in empty.iterdir()) == [".env.example", ".gitignore", "config.yaml"]
    assert made.out.splitlines()[1:] == [
        "next:",
        "  bot doctor                           # which browser runs, and what to fix",
        "  bot run reauthorize --client demo    # the article end to end on the bundled simulators",
        "  bot plan reauthorize --client acme   # after filling in your client in config.yaml",
    ]
    assert (empty / ".gitignore").read_text().split("\n")[1:4] == [".env", "runs/", ".bot/"]
    listed = run_bot(empty, "list")
    assert listed.code == 0, listed.err
    for name in BUILTIN:
        assert f"{name}  " in listed.out
    assert listed.out.count("    from built-in\n") == len(BUILTIN)
    checked = run_bot(empty, "validate")
    assert (checked.code, checked.out) == (0, "".join(f"ok    {n}\n" for n in BUILTIN))
    planned = run_bot(empty, "plan", "reauthorize", "--client", "demo")
    assert planned.code == 0, planned.err


def test_the_starter_demo_client_is_the_checkout_s(empty: Path) -> None:
    run_bot(empty, "init")
    written = yaml.safe_load((empty / "config.yaml").read_text())
    example = yaml.safe_load((REPO / "config.example.yaml").read_text())
    assert written["clients"] == {"demo": example["clients"]["demo"]}  # the real client: a comment


def test_init_into_a_new_folder_says_where_to_go(empty: Path) -> None:
    made = run_bot(empty, "init", "clients/acme")
    assert made.code == 0, made.err
    assert "next (in clients/acme):" in made.out
    assert (empty / "clients" / "acme" / "config.yaml").is_file()


def test_init_never_overwrites(empty: Path) -> None:
    (empty / "config.yaml").write_text("clients: {}\n")
    refused = run_bot(empty, "init")
    assert refused.code == 2
    assert "already has config.yaml: bot init never overwrites" in refused.err
    assert "Traceback" not in refused.err
    assert sorted(p.name for p in empty.iterdir()) == ["config.yaml"]
    assert (empty / "config.yaml").read_text() == "clients: {}\n"


def test_init_adds_only_what_an_existing_gitignore_lacks(empty: Path) -> None:
    (empty / ".gitignore").write_text("node_modules/\n.env")
    made = run_bot(empty, "init")
    assert made.code == 0, made.err
    assert "added to .gitignore: runs/ .bot/" in made.out
    assert (empty / ".gitignore").read_text() == "node_modules/\n.env\nruns/\n.bot/\n"


@pytest.mark.parametrize(
    "command",
    [("list",), ("validate",), ("plan", "status"), ("run", "status", "-c", "demo"), ("runs",)],
    ids=" ".join,
)
def test_without_a_config_a_command_says_to_run_bot_init(empty: Path, command: tuple[str]) -> None:
    result = run_bot(empty, *command)
    assert result.code == 2, result
    assert f"no config.yaml in {empty}: run `bot init` to create one here" in result.err
    assert "Traceback" not in result.err
    assert list(empty.iterdir()) == []


def test_a_copied_runbook_overrides_the_built_in_one(empty: Path) -> None:
    run_bot(empty, "init")
    copied = run_bot(empty, "runbooks", "copy", "status")
    assert copied.code == 0, copied.err
    assert "copied the built-in status to runbooks/status.yaml" in copied.out
    assert "it now overrides the built-in one" in copied.out
    assert sorted(p.name for p in (empty / "runbooks").iterdir()) == [
        "runbook.schema.json",
        "status.yaml",
    ]
    mine = empty / "runbooks" / "status.yaml"
    text = mine.read_text()
    mine.write_text(text.replace("  Read-only:", "  Our own status check. Read-only:", 1))
    listed = run_bot(empty, "list").out
    assert "status  Our own status check." in listed
    assert "    from runbooks/status.yaml, overriding the built-in one\n" in listed
    again = run_bot(empty, "runbooks", "copy", "status")
    assert again.code == 2
    assert "runbooks/status.yaml already exists: bot never overwrites it" in again.err
    assert "Our own status check." in mine.read_text()


def test_copying_an_unknown_runbook_suggests_the_name(empty: Path) -> None:
    result = run_bot(empty, "runbooks", "copy", "reauthorise")
    assert result.code == 2
    assert "no built-in runbook 'reauthorise' — did you mean 'reauthorize'?" in result.err
    assert list(empty.iterdir()) == []
    unknown = run_bot(empty, "runbooks", "copy", "renew-token")
    assert (unknown.code, unknown.err) == (
        2,
        f"no built-in runbook 'renew-token' (valid: {', '.join(BUILTIN)})\n",  # listed once
    )


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (("run", "reauthorize", "--client", "demo"), "client 'demo' (`simulators: builtin`)"),
        (("sim", "up"), "bot sim up"),
    ],
    ids=["the demo", "bot sim up"],
)
def test_without_the_sim_extra_the_simulators_name_the_extra(
    empty: Path, command: tuple[str, ...], what: str
) -> None:
    """As after `pip install runbook-bot` (no [sim]): Flask cannot be imported."""
    run_bot(empty, "init")
    result = run_bot_with("import sys; sys.modules['flask'] = None", empty, *command)
    assert result.code == 2, result
    assert f"{what} needs the bundled simulators, which come with the extra `sim`" in result.err
    assert "(missing module: flask): pip install 'runbook-bot[sim]'" in result.err
    assert "Traceback" not in result.err
    assert not (empty / "runs").exists()


def test_the_checkout_still_runs_on_its_example_config(project: Project) -> None:
    """In a checkout, with no config.yaml, config.example.yaml is used (`make demo`)."""
    (project.root / "config.yaml").unlink()
    (project.root / "config.example.yaml").write_text((REPO / "config.example.yaml").read_text())
    listed = run_bot(project.root, "list")
    assert listed.code == 0, listed.err
    assert "sign-in  Sign in to the site" in listed.out  # the config's runbooks/ folder
    assert "reauthorize  " in listed.out  # and the built-in ones


@pytest.mark.parametrize(
    ("file", "command", "line"),
    [
        ("config.yaml", ("list",), 3),
        (".env", ("plan", "reauthorize", "--client", "demo"), 2),
        ("runbooks/mine.yaml", ("validate",), 2),
    ],
    ids=["config", ".env", "runbook"],
)
def test_a_file_saved_in_another_encoding_is_named_with_the_fix(
    empty: Path, file: str, command: tuple[str, ...], line: int
) -> None:
    """A config, `.env` or runbook saved as Latin-1 (an editor's default on some machines)."""
    run_bot(empty, "init")
    (empty / "runbooks").mkdir()
    written = {
        "config.yaml": (empty / "config.yaml").read_bytes().replace(b"\n", b"\n\n# caf\xe9\n", 1),
        ".env": b"# passwords\n# caf\xe9\nDEMO_X=y\n",
        "runbooks/mine.yaml": b"name: mine\n# caf\xe9\nsteps: [{goto: 'https://e.com/'}]\n",
    }[file]
    (empty / file).write_bytes(written)
    result = run_bot(empty, *command)
    assert result.code == 2, result
    expected = f"{file}:{line}: the file is not UTF-8 text (byte 0xe9 on line {line}): save it"
    assert expected in result.err
    assert "Traceback" not in result.err


def test_a_config_path_that_cannot_be_read_is_named(empty: Path) -> None:
    run_bot(empty, "init")
    (empty / ".env").mkdir()  # e.g. a volume mounted at the wrong place
    result = run_bot(empty, "list")
    assert result.code == 2, result
    assert ".env: cannot read it (it is a folder, not a file)" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "command",
    [
        ("init", "notes.txt"),
        ("init", "notes.txt/work"),
        ("runbooks", "copy", "status", "notes.txt"),
    ],
    ids=" ".join,
)
def test_a_folder_that_cannot_be_written_is_named_with_the_fix(
    empty: Path, command: tuple[str, ...]
) -> None:
    (empty / "notes.txt").write_text("mine\n")
    result = run_bot(empty, *command)
    assert result.code == 2, result
    assert f"cannot write in {empty / command[-1]} ({empty / 'notes.txt'} is not a folder)" in (
        result.err
    )
    assert "nothing was written: make it writable, or run `bot " in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in empty.iterdir()) == ["notes.txt"]


def test_init_writes_all_or_nothing(empty: Path) -> None:
    (empty / ".gitignore").mkdir()  # cannot be read or written
    result = run_bot(empty, "init")
    assert result.code == 2, result
    assert f"cannot write in {empty} (" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in empty.iterdir()) == [".gitignore"]  # no half-made folder
    (empty / ".gitignore").rmdir()
    assert run_bot(empty, "init").code == 0


def test_schema_to_a_folder_that_does_not_exist_is_named(empty: Path) -> None:
    result = run_bot(empty, "schema", "-o", "editors/runbook.schema.json")
    assert result.code == 2, result
    assert "cannot write editors/runbook.schema.json (No such file or directory)" in result.err
    assert "Traceback" not in result.err


def test_a_config_path_that_is_a_folder_says_which_file_to_pass(empty: Path) -> None:
    run_bot(empty, "init", "acme")
    result = run_bot(empty, "--config", "acme", "list")
    assert (result.code, result.err) == (
        2,
        f"config file acme is a folder, not a file: pass {Path('acme', 'config.yaml')}\n",
    )


@pytest.mark.parametrize("command", [("fleet", "status"), ("fleet", "due")], ids=" ".join)
def test_the_fleet_of_a_new_folder_says_why_it_is_empty(
    empty: Path, command: tuple[str, ...]
) -> None:
    """Right after `bot init` the only client is the demo, which the fleet leaves out."""
    run_bot(empty, "init")
    result = run_bot(empty, *command)
    assert (result.code, result.out) == (0, ""), result
    assert result.err == (
        "config.yaml: no clients on real systems: demo runs on the built-in simulators, which "
        "`bot fleet` leaves out (`bot run status --client demo` shows one); add your clients "
        "under `clients:`\n"
    )


def test_runs_in_a_new_folder_is_an_empty_history_not_an_error(empty: Path) -> None:
    run_bot(empty, "init")
    listed = run_bot(empty, "runs")
    assert (listed.code, listed.out) == (0, ""), listed
    assert listed.err == "no runs recorded yet: `bot run RUNBOOK --client NAME` records one\n"
    as_json = run_bot(empty, "runs", "--json")
    assert (as_json.code, as_json.out) == (0, "[]\n")  # as when a filter matches none
    filtered = run_bot(empty, "runs", "--client", "demo", "--failed")
    assert (filtered.code, filtered.err) == (
        0,
        "no failed or interrupted runs of client 'demo' recorded yet\n",
    )
    assert not (empty / ".bot").exists()


@pytest.mark.parametrize("existing", ["config.yaml", ".env"])
def test_sim_up_never_overwrites_a_users_config_or_env(empty: Path, existing: str) -> None:
    """`bot sim up --write-config DIR` into a working folder: its clients and passwords stay."""
    run_bot(empty, "init")
    (empty / ".env").write_text("ACME_INTEGRATION_PASSWORD=the-real-one\n")
    (empty / ({"config.yaml": ".env", ".env": "config.yaml"}[existing])).unlink()
    before = {p.name: p.read_bytes() for p in empty.iterdir()}
    result = run_bot(empty, "sim", "up", "--write-config", ".")
    assert result.code == 2, result
    assert result.err == (
        f". already has {existing}, not written by `bot sim up`: it never overwrites them (they "
        "may hold your clients and passwords): pass another --write-config DIR\n"
    )
    assert "Simulators running" not in result.out  # refused before anything started
    assert {p.name: p.read_bytes() for p in empty.iterdir()} == before


def test_sim_up_replaces_the_config_it_wrote_before(empty: Path) -> None:
    from bot.cli.sim import WRITTEN_BY

    (empty / "config.yaml").write_text(f"{WRITTEN_BY}\nclients: {{}}\n")
    (empty / ".env").write_text("OLD=1\n")
    process = subprocess.Popen(
        [str(BOT), "sim", "up", "--write-config", str(empty)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while (
            "OLD=1" in (empty / ".env").read_text()
            or "sandbox:" not in (empty / "config.yaml").read_text()
        ):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "bot sim up did not replace its config"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert (empty / ".env").read_text().startswith("SANDBOX_")  # plain NAME=value lines
    assert run_bot(empty, "validate", "--all-clients").code == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland: Linux")
def test_headed_on_a_machine_without_a_display_says_so(empty: Path) -> None:
    """Over SSH, on a server: Chromium alone says "Target page, context or browser has been
    closed"."""
    run_bot(empty, "init")
    no_display = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = run_bot(empty, "run", "status", "--client", "demo", "--headed", env=no_display)
    assert result.code == 2, result
    assert result.err.startswith("could not start the browser (")
    assert "): a browser window needs a display, and there is none here" in result.err
    assert "run headless (without --headed), or under a virtual display: `xvfb-run bot" in (
        result.err
    )
    assert not (empty / "runs").exists()


def test_a_tilde_in_the_configs_folders_is_the_home_folder(empty: Path, tmp_path: Path) -> None:
    """`runbooks: [~/support-runbooks]`, `runs.root: ~/evidence`: as a shell reads them, not a
    folder named `~` inside the working folder."""
    home = tmp_path / "home"
    home.mkdir()
    run_bot(empty, "init")
    config = empty / "config.yaml"
    text = config.read_text().replace("runbooks: [runbooks]", "runbooks: [~/support-runbooks]")
    config.write_text(text.replace("  root: runs ", "  root: ~/evidence "))
    copied = run_bot(empty, "runbooks", "copy", "status", env={"HOME": str(home)})
    assert copied.code == 0, copied.err
    assert f"copied the built-in status to {home}/support-runbooks/status.yaml" in copied.out
    assert "it now overrides the built-in one" in copied.out
    listed = run_bot(empty, "list", env={"HOME": str(home)})
    assert f"    from {home}/support-runbooks/status.yaml, overriding the built-in one" in (
        listed.out
    )
    assert not (empty / "~").exists()


def test_a_folder_named_like_a_runbook_is_not_one(empty: Path) -> None:
    run_bot(empty, "init")
    (empty / "runbooks" / "archive.yaml").mkdir(parents=True)
    for command in ("list", "validate"):
        result = run_bot(empty, command)
        assert result.code == 0, result
        assert "archive" not in result.out + result.err


def test_another_programs_config_example_is_not_taken_for_the_bots(empty: Path) -> None:
    """Only a checkout's config.example.yaml stands in for config.yaml (README, Configuration)."""
    (empty / "config.example.yaml").write_text("database:\n  host: localhost\n")
    result = run_bot(empty, "list")
    assert result.code == 2, result
    assert f"no config.yaml in {empty}: run `bot init` to create one here" in result.err


NO_HOME = (
    "import os, pwd; os.environ.pop('HOME', None); "
    "pwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid))"
)  # a container's arbitrary uid: no HOME, no entry in /etc/passwd


@pytest.mark.parametrize(
    "command", [("doctor",), ("run", "status", "--client", "demo")], ids=" ".join
)
def test_a_user_without_a_home_folder_is_told_to_set_home(
    empty: Path, command: tuple[str, ...]
) -> None:
    """Playwright's driver dies without a home ("Connection closed while reading from the
    driver", after a traceback from pathlib before that)."""
    run_bot(empty, "init")
    result = run_bot_with(NO_HOME, empty, *command)
    assert result.code != 0, result
    assert "Traceback" not in result.err
    assert (
        "Playwright needs a home folder, and this user has none (HOME is not set, and the user "
        "has no entry in /etc/passwd): set HOME to a writable folder, e.g. `HOME=/tmp bot …`"
    ) in result.out + result.err
    assert not (empty / "runs").exists()


def test_a_runs_evidence_is_found_from_any_folder_and_a_deleted_one_is_said(
    empty: Path,
) -> None:
    """`bot --config work/config.yaml report ID` from elsewhere (cron, another shell) finds the
    report; once the run folder is deleted, the history says so (exit 2)."""
    run_bot(empty, "init")
    done = run_bot(empty, "run", "status", "--client", "demo", timeout=300)
    assert done.code == 0, done
    run_id = done.out.split("\n  run ", 1)[1].split()[0]
    config = str(empty / "config.yaml")
    report = run_bot(empty.parent, "--config", config, "report", run_id)
    assert report.code == 0, report
    assert Path(report.out.strip()).is_file()
    shown = run_bot(empty.parent, "--config", config, "runs", "show", run_id)
    folder = next(line for line in shown.out.splitlines() if "run dir: " in line).split(": ")[1]
    assert Path(folder).is_dir()
    (Path(folder) / "report-shared.html").mkdir()  # in the way, as a read-only folder would be
    shared = run_bot(empty, "report", run_id, "--self-contained")
    assert shared.code == 1, shared
    assert f"cannot write {folder}/report-shared.html (Is a directory): check that" in shared.err
    assert "Traceback" not in shared.err
    shutil.rmtree(folder)
    for command in ("report", "trace"):
        gone = run_bot(empty, command, run_id, "--no-open" if command == "trace" else "--open")
        assert (gone.code, gone.err) == (
            2,
            f"run {run_id} has no {command}: its folder {folder} no longer exists (moved or "
            "deleted)\n",
        )


def test_a_keyring_secret_without_the_extra_says_how_to_add_it(empty: Path) -> None:
    """As after `pipx install runbook-bot` (no [keyring]): the command works in zsh as typed."""
    run_bot(empty, "init")
    config = empty / "config.yaml"
    config.write_text(
        config.read_text()
        .replace("env:DEMO_ASSIGNAR_PASSWORD", "keyring:bot/demo")
        .replace("simulators: builtin", "# on real systems")
    )
    result = run_bot_with(
        "import sys; sys.modules['keyring'] = None", empty, "validate", "-c", "demo"
    )
    assert result.code == 2, result
    assert (
        "secret assignar_password: keyring references need the extra `keyring`: pip install "
        "'runbook-bot[keyring]' (with pipx: pipx inject runbook-bot keyring)"
    ) in result.err


def test_validate_all_clients_of_a_config_without_clients_is_no_pass(empty: Path) -> None:
    """A CI gate `bot validate --all-clients` that checked nothing must not pass silently."""
    (empty / "config.yaml").write_text("clients: {}\n")
    result = run_bot(empty, "validate", "--all-clients")
    assert (result.code, result.out) == (2, ""), result
    assert result.err.startswith("config.yaml: --all-clients: no clients to check: it has no")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            'version: "9.9"',
            "clients.demo.simulator: the simulators have no version '9.9' (valid: 23.200.0151, "
            "24.105.0012, 25.101.0153)",
        ),
        (
            'versoin: "24.105.0012"',
            "clients.demo.simulator: unknown option versoin — did you mean 'version'?",
        ),
    ],
    ids=["unknown version", "misspelt option"],
)
@pytest.mark.parametrize("command", [["run", "status"], ["plan", "status"], ["validate"]])
def test_a_bad_simulator_option_of_the_demo_is_named_at_its_key(
    empty: Path, written: str, said: str, command: list[str]
) -> None:
    """Said when the config is read, at its line, by every command (validate and plan said ok,
    and only the run failed)."""
    run_bot(empty, "init")
    config = empty / "config.yaml"
    config.write_text(config.read_text().replace('version: "24.105.0012"', written))
    result = run_bot(empty, *command, "--client", "demo")
    assert result.code == 2, result
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if written in text)
    assert result.err.startswith(f"config.yaml:{line}: {said}")
    assert "Traceback" not in result.err
    assert not (empty / "runs").exists()


def test_a_timeout_too_long_for_the_browser_is_refused_at_its_line(empty: Path) -> None:
    """Node.js timers fire a timeout over ~24.8 days at once: `navigation_timeout: 99999h` failed
    every run in 0.3 s with "Timeout 359996400000ms exceeded"."""
    run_bot(empty, "init")
    config = empty / "config.yaml"
    config.write_text(config.read_text().replace("timeout: 10s ", "navigation_timeout: 99999h "))
    result = run_bot(empty, "run", "status", "--client", "demo")
    assert result.code == 2, result
    assert result.err.startswith(
        "config.yaml:8: navigation_timeout: '99999h' is longer than a day: a duration is at "
        "most 24h"
    )
    config.write_text(config.read_text().replace("navigation_timeout: 99999h ", "timeout: 10s "))
    (empty / "runbooks").mkdir()
    (empty / "runbooks" / "slow.yaml").write_text(
        "name: slow\nsteps:\n  - goto: https://example.com/\n    timeout: 720h\n"
    )
    checked = run_bot(empty, "validate", "runbooks/slow.yaml")
    assert checked.code == 2, checked
    assert "runbooks/slow.yaml:4: steps[0].timeout: '720h' is longer than a day" in checked.err
    assert not (empty / "runs").exists()


def test_a_bad_base_path_names_its_own_option(empty: Path) -> None:
    result = run_bot(empty, "sim", "up", "--base-path", "AcumaticaERP")
    assert result.code == 2, result
    assert (
        "Invalid value for '--base-path': 'AcumaticaERP' is a path on the server: it starts "
        "with '/' (e.g. /AcumaticaERP)"
    ) in result.err
