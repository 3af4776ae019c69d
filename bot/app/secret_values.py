"""Checks that need the secrets' values, made once they are resolved and before any browser: a
secret long enough to be told apart from ordinary text, and no secret's value written out in a
runbook, a param or a setting. Each problem names the secret, never its value."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.language.diagnostics import Diagnostic, ValidationFailed
from bot.language.document import Runbook, StepNode
from bot.language.secrets import Secret
from bot.language.source import LocatedDict, Source, YamlSyntaxError, line_of, parse_yaml
from bot.language.spellings import SecretMatcher

MIN_SECRET = 8


def short_secret_problem(name: str, value: str, allow_short: bool) -> str | None:
    """Why a secret is refused for being short, or None."""
    if allow_short or len(value) >= MIN_SECRET:
        return None
    return (
        f"secret {name}: its value has only {len(value)} character(s); a secret shorter than "
        f"{MIN_SECRET} cannot be told apart from ordinary text (scrubbing it would mask ordinary "
        "words, or miss it), so it is refused. Use a longer one, or add `allow_short: true` to "
        "this secret to accept it (it is scrubbed all the same)"
    )


def config_line(path: str, *keys: str) -> int | None:
    """The line of `clients.acme.secrets.pw` (say) in the config file at `path`, if found."""
    try:
        data: Any = parse_yaml(Source(path, Path(path).read_text(encoding="utf-8")))
    except (OSError, YamlSyntaxError):
        return None
    line = None
    for key in keys:
        if not isinstance(data, LocatedDict) or key not in data:
            break
        line, data = line_of(data, key), data[key]
    return line


def refuse_secret_values(
    secrets: dict[str, Secret],
    params: dict[str, Any],
    settings: dict[str, Any],
    runbooks: list[Runbook],
) -> None:
    """InputError when a param or setting, or ValidationFailed when a runbook's text, holds the
    value of one of `secrets` in some spelling."""
    matcher = SecretMatcher({name: secret.reveal() for name, secret in secrets.items()})
    for kind, values in (("--param", params), ("setting", settings)):
        for key, value in values.items():
            name = matcher.find(str(value)) if value is not None else None
            if name is not None:
                raise InputError(
                    f"{kind} {key} holds the value of the client's secret '{name}': a secret "
                    "is never a param or a setting (a runbook types it with "
                    f"`{{{{ secret('{name}') }}}}`; a param may name it: `{key}={name}`)"
                )
    problems = [
        Diagnostic(runbook.source.path, line, "", message, conceal=written)
        for runbook in runbooks
        for line, written, message in _written_secrets(runbook.source, matcher)
    ]
    if problems:
        raise ValidationFailed(problems, {r.source.path: r.source for r in runbooks})


def _written_secrets(source: Source, matcher: SecretMatcher) -> Iterator[tuple[int, str, str]]:
    for number, text in enumerate(source.text.splitlines(), 1):
        found = matcher.search(text)
        if found is not None:
            name, written = found
            yield (
                number,
                written,
                f"the value of the client's secret '{name}' is written in this runbook: a "
                f"secret is never written out; use \"{{{{ secret('{name}') }}}}\"",
            )


def used_runbooks(runbook: Runbook, find: Any) -> list[Runbook]:
    """`runbook` and every runbook it `use`s (by literal name), each once."""
    found: dict[str, Runbook] = {}
    pending = [runbook]
    while pending:
        current = pending.pop()
        if current.source.path in found:
            continue
        found[current.source.path] = current
        for node in _walk((*current.steps, *current.finally_)):
            name = getattr(node.args, "runbook", None) if node.action == "use" else None
            called = find(name) if isinstance(name, str) and "{{" not in name else None
            if called is not None:
                pending.append(called)
    return list(found.values())


def _walk(nodes: tuple[StepNode, ...]) -> Iterator[StepNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)
