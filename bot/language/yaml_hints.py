"""YAML syntax errors in plain words, with the likely fix: PyYAML says "expected <block end>, but
found '<block mapping start>'"; a person needs "line 5 is indented by 3 spaces, like nothing
above it". Each hint reads the parser's problem and the lines around it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Explained:
    """A syntax error as a person reads it: the line to show, and what to do."""

    line: int  # 1-based
    message: str


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    """The plain-words form of `exc`, a parse error in `text`."""
    lines = text.splitlines()
    problem = exc.problem or str(exc)
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    opened = exc.context_mark.line + 1 if exc.context_mark else line
    column = mark.column if mark else 0
    said = _hint(problem, exc.context or "", lines, line, opened, column)
    return Explained(said[0], f"{said[1]} (the YAML parser: {problem})")


def _hint(
    problem: str, context: str, lines: list[str], line: int, opened: int, column: int
) -> tuple[int, str]:
    if "'\\t'" in problem:
        return (
            line,
            "a tab in the indentation: YAML indents with spaces only — replace it by spaces",
        )
    template = next((n for n in (line, opened, line - 1) if _unquoted_template(_at(lines, n))), 0)
    if template:  # `goto: {{ x }}/y` is read as a mapping, then as whatever follows it
        return template, (
            "a template must be in quotes, else YAML reads `{` as a mapping: "
            f"{_quoted(_at(lines, template))}"
        )
    if "could not find expected ':'" in problem:
        return opened, (
            f"line {opened} has no colon after its key: write `key: value` (e.g. `steps:`), "
            "or join it to the line above if it continues a value"
        )
    if problem.startswith("expected <block end>") or problem.startswith("expected <block mapping"):
        return _indentation(lines, line)
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, line, column)
    if "end of stream" in problem and "quoted scalar" in context:
        return opened, f"the quote opened on line {opened} is never closed: end the text with it"
    if "flow mapping" in context or "flow sequence" in context:
        bracket = "{" if "mapping" in context else "["
        return line, (
            f"the `{bracket}` opened on line {opened} is not closed where expected: close it, and "
            "put a value holding `,` `:` `{` `}` `[` or `]` in quotes"
        )
    alias = re.search(r"found undefined alias '([^']*)'", problem)
    if alias:
        name = alias.group(1)
        return line, (
            f"`*{name}` reads as a YAML alias of an anchor `&{name}` that is not defined above: "
            f'a value starting with `*` must be in quotes (`"*{name}…"`)'
        )
    if "found another document" in problem:
        return line, (
            f"a second YAML document starts on line {line} (`---`): a file holds one runbook — "
            "remove the `---` and what follows, or put it in a file of its own"
        )
    found = re.search(r"found character '(.)' that cannot start any token", problem)
    if found:
        return (
            line,
            f"a value cannot start with `{found.group(1)}` in YAML: put the value in quotes",
        )
    return line, "the YAML does not parse here: check the indentation and the colons around it"


def _indentation(lines: list[str], line: int) -> tuple[int, str]:
    """Which columns the lines above start at, to compare with the one that does not line up."""
    dash = next((n for n in range(line, 0, -1) if re.match(r"^\s*-[^\s-]", _at(lines, n))), None)
    if dash is not None:
        return dash, "a `-` without a space after it: a list item is `- ` (a dash, then a space)"
    text = _at(lines, line)
    spaces = len(text) - len(text.lstrip(" "))
    levels: dict[int, int] = {}  # column → the nearest line above starting there
    for number in range(line - 1, 0, -1):
        above = _at(lines, number)
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        indent = len(above) - len(above.lstrip(" "))
        levels.setdefault(indent, number)
        if above.lstrip().startswith("- "):
            levels.setdefault(indent + 2, number)
    if spaces in levels:
        return line, (
            f"line {line} does not fit under the lines above it: check their indentation (the "
            "items of one list start with `- ` in one column, the keys of one mapping in one)"
        )
    near = sorted(levels, key=lambda level: (abs(level - spaces), level))[:2]
    like = " or ".join(f"{level} spaces" for level in sorted(near))
    if like:  # the lines they line up with; one line can offer both (its `- ` and its key)
        like += f" (like line {' or '.join(dict.fromkeys(str(levels[lv]) for lv in sorted(near)))})"
    return line, (
        f"line {line} is indented by {spaces} spaces, which lines up with nothing above it: "
        f"YAML reads nesting from indentation — indent it by {like}"
        if like
        else f"line {line} is indented by {spaces} spaces: start it in the first column"
    )


def _colon_in_value(lines: list[str], line: int, column: int) -> tuple[int, str]:
    """`mapping values are not allowed here`: a value holding ': ' that needs quotes, or a key
    on the line above that lost its colon."""
    before = _at(lines, line)[:column].strip().removeprefix("- ")
    if ":" in before:  # the colon found is not the line's first: it is inside a value
        key = before.split(":", 1)[0].strip()
        return line, (
            f"the value of `{key}` holds ': ', which YAML reads as another key: put the value "
            f'in quotes (`{key}: "…"`)'
        )
    above = _at(lines, line - 1).strip().removeprefix("- ")
    if above and ":" not in above:
        return line - 1, f"line {line - 1} has no colon after its key: write `key: value`"
    return line, "a colon where YAML expects a value: quote the value, or check the indentation"


# a quoted value (where a value starts: after `: `, `- `, `[`, `{` or `,`), which may hold `{{`
_QUOTED = re.compile(r"""(^|[:\-\[{,]\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')""")
# `key: {{ … }}…` (a block mapping's value, or a flow mapping's up to its `,` or `}`)
_KEYED = re.compile(r"([^\s:{}\[\],#-][^:{}\[\],#]*):\s+(\{\{.*?\}\}[^,}\]]*)")


def _unquoted_template(text: str) -> bool:
    """Whether `text` holds a `{{` outside quotes: a template YAML would read as a mapping."""
    return "{{" in re.sub(r"(^|\s)#.*", "", _QUOTED.sub(r"\1", text))


def _quoted(text: str) -> str:
    """The fix for the unquoted template on `text`: its `key: value` with the value quoted."""
    found = _KEYED.search(text)
    if found is None:
        return '`goto: "{{ … }}"`, or `- "{{ … }}"` in a list'
    key, value = found.group(1).strip(), found.group(2).rstrip()
    if text[found.end() :].strip() and "{" not in text[: found.start()]:
        value = text[found.start(2) :].rstrip()  # a block value runs to the end of the line
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return f"write `{key}: {quoted}`"


def _at(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""
