"""Finding `config.yaml` and reading it: every mistake at its own line, in the config's terms,
and a secret written inline never echoed back; the `.env` beside it read for secret references."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import ValidationError

from bot.app.config import Config, client_name_problem
from bot.app.config_messages import not_a_mapping, secret_not_a_mapping, unknown_key
from bot.errors import InputError
from bot.language.diagnostics import Collector, Diagnostic, ValidationFailed
from bot.language.plain_errors import model_hints
from bot.language.secrets import MASK
from bot.language.source import LocatedDict, Source, YamlSyntaxError, line_of, parse_yaml
from bot.language.text_files import read_source, read_text


def find_config(explicit: str | None) -> Path:
    """--config or BOT_CONFIG, else ./config.yaml, else ./config.example.yaml (a checkout's, so
    that `make demo` runs with no set-up); anywhere else, `bot init` creates one."""
    chosen = explicit or os.environ.get("BOT_CONFIG")
    if chosen:
        if Path(chosen).is_dir():
            inside = Path(chosen) / "config.yaml"
            hint = f"pass {inside}" if inside.is_file() else f"run `bot init {chosen}` to make one"
            raise InputError(f"config file {chosen} is a folder, not a file: {hint}")
        if not Path(chosen).is_file():
            raise InputError(
                f"config file {chosen} does not exist: pass --config PATH to an existing one, "
                "or run `bot init` to create config.yaml here"
            )
        return Path(chosen)
    if Path("config.yaml").is_file():
        return Path("config.yaml")
    if _a_bot_config(Path("config.example.yaml")):
        return Path("config.example.yaml")
    raise InputError(
        f"no config.yaml in {Path.cwd()}: run `bot init` to create one here "
        "(or pass --config PATH, or set BOT_CONFIG)"
    )


def _a_bot_config(path: Path) -> bool:
    """A checkout's config.example.yaml (it lists `clients:`), not another program's file of
    that name in the folder a user works in."""
    try:
        with path.open(encoding="utf-8", errors="replace") as text:
            return any(line.startswith("clients:") for line in text)
    except OSError:
        return False


def load_config(path: Path) -> Config:
    """Parse and validate `path`, and read the `.env` beside it (it never changes the process
    environment: only secret references look into it)."""
    source = read_source(path)  # unreadable or not UTF-8: said without its lines
    duplicates: list[YamlSyntaxError] = []
    try:
        data = parse_yaml(source, duplicates=duplicates) or LocatedDict()
    except YamlSyntaxError as exc:
        raise ValidationFailed(
            [Diagnostic(source.path, exc.line, "", exc.message)], {source.path: source}
        ) from None
    collector = Collector(source)
    twice = [Diagnostic(source.path, d.line, "", d.message) for d in duplicates]
    if not isinstance(data, dict):
        raise ValidationFailed(
            [Diagnostic(source.path, 1, "", not_a_mapping(data))], {source.path: source}
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        collector.pydantic(exc, data, line_of(data, "clients") or 1, "", model_hints(Config))
        collector.problems = [
            located
            for error, problem in zip(exc.errors(), collector.problems, strict=True)
            for located in _located(_explained(problem, error, data), data)
        ] + _bad_client_names(source.path, data, collector.problems)
        shown = source.text
        for error in exc.errors():  # a secret written inline is not echoed back in the message
            loc, value = error["loc"], error["input"]
            if (
                (loc[-1:] == ("ref",) or (loc[2:3] == ("secrets",) and len(loc) == 4))
                and isinstance(value, str)
                and value
            ):
                shown = shown.replace(value, MASK)
        shown_source = Source(source.path, shown)
        raise ValidationFailed([*twice, *collector.problems], {source.path: shown_source}) from None
    if twice:
        raise ValidationFailed(twice, {source.path: source})
    # values are literal: a `$` in a password is not a variable to expand
    env_file = path.parent / ".env"
    found = (
        dotenv_values(stream=io.StringIO(read_text(env_file)), interpolate=False)
        if env_file.exists()
        else {}
    )
    dotenv = {name: value for name, value in found.items() if value is not None}
    update = {"path": str(path), "dotenv": dotenv, "empty": not data}
    return config.model_copy(update=update)


def _explained(problem: Diagnostic, error: Any, data: Any) -> Diagnostic:
    """`problem` (from pydantic's `error`) said in the config's terms where pydantic's words
    would not help: an unknown key with the one meant, a secret written as text."""
    loc = tuple(error["loc"])
    message = problem.message
    if error["type"] == "extra_forbidden":
        message = unknown_key(Config, loc)
    elif error["type"] == "model_type" and len(loc) == 4 and loc[::2] == ("clients", "secrets"):
        client = data["clients"][loc[1]]
        settings = client.get("settings") if isinstance(client, dict) else None
        message = secret_not_a_mapping(str(loc[1]), str(loc[3]), error["input"], settings)
    return Diagnostic(problem.file, problem.line, problem.where, message, problem.conceal)


def _bad_client_names(path: str, data: Any, found: list[Diagnostic]) -> list[Diagnostic]:
    """A client name that cannot be one, when pydantic did not get as far as checking it (the
    clients had other problems): every problem of the file is said at once."""
    clients = data.get("clients") if isinstance(data, dict) else None
    if not isinstance(clients, dict):
        return []
    said = {d.message for d in found}
    return [
        Diagnostic(path, line_of(clients, name), "clients", problem)
        for name in clients
        if (problem := client_name_problem(name)) is not None and problem not in said
    ]


def _located(problem: Diagnostic, data: Any) -> list[Diagnostic]:
    """A bad client name at its own line; each bad setting (`clients.X.settings`, one line of
    the message per setting, `NAME: …`) at NAME's own line."""
    clients = data.get("clients") if isinstance(data, dict) else None
    if problem.where == "clients" and isinstance(clients, dict):
        name = next((str(n) for n in clients if f"client name '{n}'" in problem.message), None)
        line = line_of(clients, name) if name is not None else None
        return [Diagnostic(problem.file, line or problem.line, problem.where, problem.message)]
    parts = problem.where.split(".")
    if len(parts) != 3 or parts[0] != "clients" or parts[2] != "settings":
        return [problem]
    try:
        settings = data["clients"][parts[1]]["settings"]
    except (KeyError, TypeError):
        return [problem]
    found = []
    for message in problem.message.splitlines():
        name = message.split(":", 1)[0]
        line = line_of(settings, name) if isinstance(settings, dict) and name in settings else None
        found.append(
            Diagnostic(
                problem.file,
                line or problem.line,
                f"{problem.where}.{name}" if line else problem.where,
                message.removeprefix(f"{name}: ") if line else message,
            )
        )
    return found
