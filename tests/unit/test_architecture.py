"""The layers of `bot/` are boundaries, not names: imports point downward only, never into another
package's private modules, and no module or package imports itself back through others.

    errors → language → engine → steps | evidence → app → bot (the public API) → cli | pytest_plugin

Every import counts, those inside functions and under `if TYPE_CHECKING:` too.
"""

from __future__ import annotations

import ast
import typing
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import BUILTIN
from bot.engine import StepContext

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot"
TESTS = ROOT / "tests"

# the rank of each room; a module may import its own room and rooms of a lower rank
RANKS = {
    "bot.errors": 0,
    "bot.language": 1,
    "bot.engine": 2,
    "bot.steps": 3,
    "bot.evidence": 3,
    "bot.app": 4,
    "bot": 5,  # the public API (bot/__init__.py)
    "bot.cli": 6,
    "bot.pytest_plugin": 6,
    "bot.__main__": 7,
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. bot.app.run
    target: str  # the imported module, e.g. bot.engine.runner (or bot.engine for a name in it)
    names: tuple[str, ...]  # the names taken from it (`from target import names`)
    line: int

    def __str__(self) -> str:
        return f"{self.source} (line {self.line}) imports {self.target}"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_in(path: Path) -> list[Import]:
    """Every `bot` import of the file at `path`: a name that is a module counts as that module."""
    source = module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [
                Import(source, alias.name, (), node.lineno)
                for alias in node.names
                if alias.name.split(".")[0] == "bot"
            ]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "bot":
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                target, names = (child, ()) if is_module(child) else (node.module, (alias.name,))
                found.append(Import(source, target, names, node.lineno))
    return found


def room_of(module: str) -> str:
    """The layer a module belongs to: the longest key of RANKS it falls under."""
    rooms = [room for room in RANKS if module == room or module.startswith(room + ".")]
    return max(rooms, key=len)


def package_of(module: str) -> str:
    return module if is_module(module + ".__init__") else module.rpartition(".")[0]


def bot_imports() -> list[Import]:
    return [found for path in sorted(PACKAGE.rglob("*.py")) for found in imports_in(path)]


def test_every_import_points_down_or_stays_in_its_room() -> None:
    upward = [
        f"{found}: {room_of(found.source)} may not use {room_of(found.target)}"
        for found in bot_imports()
        if room_of(found.target) != room_of(found.source)
        and RANKS[room_of(found.target)] >= RANKS[room_of(found.source)]
    ]
    assert upward == []


def test_no_module_reaches_into_another_package_s_private_parts() -> None:
    private = [
        str(found)
        for found in bot_imports()
        if _private(found)
        and not found.source.startswith(package_of(found.target) + ".")
        and found.source != package_of(found.target)
    ]
    assert private == []


def _private(found: Import) -> bool:
    last = found.target.rsplit(".", 1)[-1]
    return (last.startswith("_") and last != "__init__") or any(
        n.startswith("_") for n in found.names
    )


def test_no_cycle_between_modules_or_packages() -> None:
    modules: dict[str, set[str]] = defaultdict(set)
    packages: dict[str, set[str]] = defaultdict(set)
    for found in bot_imports():
        modules[found.source].add(found.target)
        source, target = room_of(found.source), room_of(found.target)
        if source != target:
            packages[source].add(target)
    assert cycles(modules) == []
    assert cycles(packages) == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), or self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_checks_catch_what_they_are_for() -> None:
    """The checks themselves: a made-up cycle, an upward import and a private reach are seen."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert room_of("bot.steps.page") == "bot.steps"
    assert RANKS[room_of("bot.app.run")] > RANKS[room_of("bot.engine.runner")]
    assert _private(Import("bot.app.run", "bot.steps._locate", (), 1))
    assert _private(Import("bot.app.run", "bot.steps", ("_builtin",), 1))
    assert not _private(Import("bot.app.run", "bot.steps", ("BUILTIN",), 1))


@pytest.mark.parametrize(
    "path", sorted(TESTS.rglob("*.py")), ids=lambda p: str(p.relative_to(TESTS))
)
def test_tests_use_public_names_only(path: Path) -> None:
    """Tests import `bot`, its layer packages and their public modules, never private ones."""
    private = [str(found) for found in imports_in(path) if _private(found)]
    assert private == []


@pytest.mark.parametrize("action", sorted(BUILTIN))
def test_every_step_function_is_typed_at_the_engine_boundary(action: str) -> None:
    """`(ctx: StepContext, args: <its argument model>) -> None`, so mypy checks each step."""
    spec = BUILTIN[action]
    hints = typing.get_type_hints(spec.function)
    assert hints == {"ctx": StepContext, "args": spec.args_model, "return": type(None)}
