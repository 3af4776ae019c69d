"""YAML that remembers where every node came from, so every error can say `path:line`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class LocatedDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LocatedList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _LocatingLoader(yaml.SafeLoader):
    """SafeLoader that records `start_mark` lines on mappings and sequences (1-based)."""


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key_node.tag == "tag:yaml.org,2002:bool":
            key = key_node.value  # YAML 1.1 reads a bare `on:` key as True; keys stay text
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
)


@dataclass(frozen=True)
class Source:
    """A YAML document's text and where it came from."""

    path: str
    text: str

    def lines_around(self, line: int, radius: int = 2) -> str:
        """The lines near `line`, numbered, with a marker on `line` itself."""
        lines = self.text.splitlines()
        start, end = max(1, line - radius), min(len(lines), line + radius)
        width = len(str(end))
        return "\n".join(
            f"{'>' if n == line else ' '} {n:>{width}} | {lines[n - 1]}"
            for n in range(start, end + 1)
        )


def line_of(container: Any, key: Any) -> int | None:
    """The line where `container[key]` was written, if known."""
    if isinstance(container, LocatedDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LocatedList) and isinstance(key, int):
        return container.item_lines[key] if key < len(container.item_lines) else container.line
    return None


class YamlSyntaxError(Exception):
    """YAML that does not parse; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(source: Source) -> Any:
    """Parse `source` into Located containers, or raise YamlSyntaxError with the line."""
    try:
        return yaml.load(source.text, Loader=_LocatingLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise YamlSyntaxError(f"YAML syntax error: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML error: {exc}", 1) from None
