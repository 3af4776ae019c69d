"""Bounded-input cases: files that once made `bot validate` or `bot run` run out of memory,
recurse, hang or reach outside their folders. Each must end in `path:line`, a message and exit 2,
with no traceback and no browser. (Data only: `test_bounded_input.py` runs them as tests and
`benchmarks/bounded_input.py` times them.)"""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIG = """\
runbooks: [runbooks]
clients:
  acme:
    settings: {site_url: "http://127.0.0.1:9"}
    secrets:
      pw: {ref: "env:BOUNDED_PW", origins: [site_url]}
"""
PASSWORD = "Bounded-Input-Secret-77"


@dataclass(frozen=True)
class Case:
    """Files to write (path → text), the command's arguments, and what the message must say."""

    files: dict[str, str]
    args: tuple[str, ...]
    says: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


def _runbook(name: str, steps: str, head: str = "") -> dict[str, str]:
    return {f"runbooks/{name}.yaml": f"name: {name}\n{head}steps:\n{steps}"}


def _run(name: str) -> tuple[str, ...]:
    return ("run", name, "--client", "acme")


BOMB = "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9) if a else ', '.join(['x'] * 9)}]\n"
    for a, b in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
NESTED = "".join("  " * (depth + 1) + "- group:\n" for depth in range(400)) + (
    "  " * 401 + "- click: Save\n"
)
FLOW = "  - fill: {label: x, value: " + "[" * 5000 + "]" * 5000 + "}\n"
TEMPLATE_LOOPS = (
    '  - fill: {label: x, value: "{% for a in range(99999) %}{% for b in range(99999) %}x'
    '{% endfor %}{% endfor %}"}\n'
)
USE_CHAIN = {
    f"runbooks/u{n}.yaml": f"name: u{n}\nsteps:\n  - use: u{n + 1}\n" for n in range(9)
} | {"runbooks/u9.yaml": "name: u9\nsteps:\n  - click: Save\n"}

CASES: dict[str, Case] = {
    "YAML alias bomb (under 1 KB)": Case(
        {"runbooks/bomb.yaml": f"name: bomb\n{BOMB}steps:\n  - click: Save\n"},
        _run("bomb"),
        ("bomb.yaml:3:", "YAML too big: its aliases expand to more than 20000 values"),
    ),
    "400 nested groups": Case(
        _runbook("deep", NESTED), _run("deep"), ("deep.yaml:34:", "nested more than 64 levels")
    ),
    "5000 nested flow lists": Case(
        _runbook("flow", FLOW), _run("flow"), ("flow.yaml:3:", "nested more than 64 levels")
    ),
    "a 600 KB runbook": Case(
        _runbook("huge", "  - click: Save\n" * 40_000),
        _run("huge"),
        ("huge.yaml:1:", "at most 524288 are read"),
    ),
    "a use cycle": Case(
        {
            "runbooks/ping.yaml": "name: ping\nsteps:\n  - use: pong\n",
            "runbooks/pong.yaml": "name: pong\nsteps:\n  - use: ping\n",
        },
        _run("ping"),
        ("pong.yaml:3:", "`use` cycle: ping → pong → ping"),
    ),
    "use nested 10 deep": Case(
        USE_CHAIN, _run("u0"), ("u7.yaml:3:", "`use` nested more than 8 runbooks deep")
    ),
    "use by absolute path": Case(
        _runbook("abs", "  - use: /etc/passwd\n"),
        _run("abs"),
        ("abs.yaml:3:", "'/etc/passwd' is not a runbook name"),
    ),
    "use outside the runbook folders": Case(
        _runbook("up", "  - use: ../config\n"), _run("up"), ("up.yaml:3:", "is not a runbook name")
    ),
    "template loops over range(99999) twice": Case(
        _runbook("loops", TEMPLATE_LOOPS),
        _run("loops"),
        ("loops.yaml:3:", "statements such as {% for %} are not allowed"),
    ),
    "template output of 100 000 characters": Case(
        _runbook("wide", "  - fill: {label: x, value: \"{{ 'x' * 100000 }}\"}\n"),
        _run("wide"),
        ("wide.yaml:3:", "repeating would exceed 10000 characters"),
    ),
    "a 3000-character template": Case(
        _runbook("long", '  - fill: {label: x, value: "{{ 1 }}' + "y" * 3000 + '"}\n'),
        _run("long"),
        ("long.yaml:3:", "a template may be at most 2000 characters"),
    ),
    "a client named ../../x": Case(
        {"config.yaml": CONFIG + '  "../../x": {}\n'},
        ("validate",),
        ("config.yaml:7:", "client name '../../x' may only use a-z, 0-9"),
    ),
    "a 5-character secret": Case(
        _runbook("short", '  - goto: "{{ client.site_url }}"\n', "requires: [site_url]\n"),
        _run("short"),
        ("config.yaml:6: clients.acme.secrets.pw", "shorter than 8", "allow_short: true"),
        {"BOUNDED_PW": "Sh~*'"},
    ),
    "a config alias bomb": Case(
        {"config.yaml": BOMB + CONFIG},
        ("validate",),
        ("config.yaml:2:", "YAML too big: its aliases expand"),
    ),
}
