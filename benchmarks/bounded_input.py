"""How long each bounded-input case takes to be refused, as `bot` in a fresh process.

    .venv/bin/python benchmarks/bounded_input.py [--runs N]

Each case of `tests/security/bounded_cases.py` (an alias bomb, 400 nested groups, a `use` cycle,
template loops, …) is written into a fresh project folder and run as `bot …`; the table shows the
exit code (always 2), whether the message is located (`path:line`), and the wall time. The target
is under 2 s each; figures go in docs/security.md, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOT = str(Path(sys.executable).with_name("bot"))
sys.path.insert(0, str(ROOT / "tests" / "security"))

from bounded_cases import CASES, CONFIG, PASSWORD  # noqa: E402

LOCATED = re.compile(r"^\S+\.yaml:\d+: ", re.MULTILINE)


def run_case(name: str) -> tuple[int, bool, float, float]:
    """Exit code, whether the message is located, wall seconds and CPU seconds of one run."""
    case = CASES[name]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "runbooks").mkdir()
        (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
        for path, text in case.files.items():
            (root / path).write_text(text, encoding="utf-8")
        environment = {**os.environ, "BOUNDED_PW": PASSWORD, "NO_COLOR": "1", **case.env}
        environment.pop("BOT_CONFIG", None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [BOT, *case.args], cwd=root, env=environment, capture_output=True, text=True
        )
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    located = bool(LOCATED.search(done.stderr)) and "Traceback" not in done.stderr
    return done.returncode, located, took, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each case")
    args = parser.parse_args()
    print("| case | exit | located | wall (median) | wall (max) | CPU (median) |")
    print("|---|---|---|---|---|---|")
    for name in CASES:
        results = [run_case(name) for _ in range(args.runs)]
        codes = ",".join(sorted({str(code) for code, *_ in results}))
        located = "yes" if all(found for _, found, _, _ in results) else "NO"
        walls = [wall for *_, wall, _ in results]
        cpus = [cpu for *_, cpu in results]
        print(
            f"| {name} | {codes} | {located} | {statistics.median(walls):.2f} s | "
            f"{max(walls):.2f} s | {statistics.median(cpus):.2f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
