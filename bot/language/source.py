"""YAML that remembers where every node came from, so every error can say `path:line`; and that is
bounded: a document's size, how deep it nests, and how far its aliases expand are limited, so
that no file can make the bot run out of memory or recurse without end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from bot.language.yaml_hints import explain


class LocatedDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LocatedList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


MAX_DOCUMENT = 512 * 1024  # characters of one YAML file
MAX_DEPTH = 64  # mappings and lists inside each other (runbooks use about 10)
MAX_NODES = 20_000  # values in the document once every alias is expanded


class YamlLimitError(yaml.MarkedYAMLError):
    """A document past one of the limits; `problem` says which and what to do."""


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A key written twice in one mapping: YAML would keep the last silently."""


class _LocatingLoader(yaml.SafeLoader):
    """SafeLoader that records `start_mark` lines on mappings and sequences (1-based), and
    refuses documents that nest too deep or whose aliases expand too far."""

    def __init__(self, stream: str, duplicates: list[YamlSyntaxError] | None = None) -> None:
        super().__init__(stream)
        self._depth = 0
        self._first_alias: Any = None  # the mark of the first alias, where a bomb starts
        # where keys written twice are collected (the last one kept) instead of stopping
        self.duplicates = duplicates

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) and self._first_alias is None:
            self._first_alias = event.start_mark
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlLimitError(
                    problem=f"nested more than {MAX_DEPTH} levels deep: flatten the document",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is None:
            return node
        size, depth = _expanded(node)
        if size > MAX_NODES or depth > MAX_DEPTH:
            raise YamlLimitError(
                problem=f"its aliases expand to more than {MAX_NODES} values or "
                f"{MAX_DEPTH} levels: write the values out, or use fewer aliases",
                problem_mark=self._first_alias or node.start_mark,
            )
        return node


def _expanded(root: yaml.Node) -> tuple[int, int]:
    """How many values, and how many levels, `root` has with every alias expanded (aliases
    share nodes, so this is counted once per node, without recursion)."""
    sizes: dict[int, tuple[int, int]] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(id(node))
            measured = [sizes[id(child)] for child in children]
            size = 1 + sum(s for s, _ in measured)
            depth = 1 + max((d for _, d in measured), default=0)
            sizes[id(node)] = (min(size, MAX_NODES + 1), min(depth, MAX_DEPTH + 1))
            continue
        if id(node) in open_nodes:
            return MAX_NODES + 1, MAX_DEPTH + 1  # an alias inside the node it names
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    written = {id(key_node) for key_node, _ in node.value}  # not those a `<<:` merge brings
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    written_lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key_node.tag == "tag:yaml.org,2002:bool":
            key = key_node.value  # YAML 1.1 reads a bare `on:` key as True; keys stay text
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in written_lines and id(key_node) in written:
            problem = _duplicate(key, written_lines[key])
            if loader.duplicates is None:
                raise DuplicateKeyError(problem=problem, problem_mark=key_node.start_mark)
            # not a syntax error: the parse goes on, so every other problem is found too
            loader.duplicates.append(YamlSyntaxError(problem, key_node.start_mark.line + 1))
        if id(key_node) in written:
            written_lines[key] = key_node.start_mark.line + 1
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _duplicate(key: Any, first: int) -> str:
    return (
        f"the key '{key}' is written twice in one mapping (first on line {first}): YAML would "
        "silently keep only the last one. Remove one of them, or, if it starts another list "
        "item (another step), begin that item with `- `"
    )


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


def line_at(data: Any, keys: Iterable[Any], line: int) -> int:
    """The line of the value `keys` lead to inside located `data`: of the deepest key written
    (a shorthand leaves the rest unwritten); `line` when not even the first is."""
    container = data
    for key in keys:
        if isinstance(container, LocatedDict) and key in container:
            line, container = container.key_lines.get(key, line), container[key]
        elif isinstance(container, LocatedList) and isinstance(key, int) and key < len(container):
            line, container = container.item_lines[key], container[key]
        else:
            break
    return line


class YamlSyntaxError(Exception):
    """YAML that does not parse; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(
    source: Source,
    max_size: int = MAX_DOCUMENT,
    duplicates: list[YamlSyntaxError] | None = None,
) -> Any:
    """Parse `source` into Located containers, or raise YamlSyntaxError with the line. With
    `duplicates`, each key written twice in one mapping is added to it (the last value kept) and
    the parse goes on, rather than stopping at the first."""
    if len(source.text) > max_size:
        raise YamlSyntaxError(
            f"the file has {len(source.text)} characters; at most {max_size} are read "
            "(is it the right file?)",
            1,
        )
    try:
        loader = _LocatingLoader(source.text, duplicates)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except YamlLimitError as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError(
            f"YAML too big: {exc.problem}", mark.line + 1 if mark else 1
        ) from None
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError(f"{exc.problem}", mark.line + 1 if mark else 1) from None
    except yaml.MarkedYAMLError as exc:
        explained = explain(exc, source.text)
        raise YamlSyntaxError(f"YAML syntax error: {explained.message}", explained.line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML error: {exc}", 1) from None
