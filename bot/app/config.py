"""What `config.yaml` holds: clients by name with their settings and secret references, the
browser, the runs. Finding and reading the file: `config_files.py`; the `.env`: `dotenv_file.py`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.app.dotenv_file import dotenv_line_numbers
from bot.app.endpoints import BrowserEndpoint
from bot.app.secret_refs import EXPORTED, REF_HELP, REF_PATTERN, Environment
from bot.engine.context import ScreenshotPolicy
from bot.errors import InputError
from bot.language.diagnostics import did_you_mean
from bot.language.durations import Duration

EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
CLIENT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # it names files: run folders, lock files


class SecretSpec(BaseModel):
    """Where a secret comes from, and the origins (setting names or URLs) it may be typed into."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    ref: str = Field(description="env:VAR or keyring:service/user")
    origins: list[str] = Field(min_length=1, description="settings holding URLs, or URLs")
    allow_short: bool = Field(
        default=False,
        description="accept a value shorter than 8 characters (refused by default: it cannot be "
        "told apart from ordinary text); it is scrubbed all the same",
    )

    @field_validator("ref")
    @classmethod
    def _is_reference(cls, value: str) -> str:
        if not REF_PATTERN.match(value.strip()):
            kind = value.strip().split(":", 1)[0]
            if ":" in value and kind.lower() in ("env", "keyring"):  # `ENV:VAR`
                raise ValueError(f"write `{kind.lower()}:` in lowercase: {REF_HELP}")
            raise ValueError(f"not a reference — {REF_HELP}; a secret is never written inline")
        return value.strip()


SIMULATOR_OPTIONS = ("version", "layout", "base_path")  # `simulator:` of a builtin client


def simulator_values(option: str) -> tuple[str, ...]:
    """What the bundled simulators accept for `option` (`version`, `layout`); none to check
    when any value goes, or when they are not installed (the run then says to install them)."""
    try:
        from bot_sim.variation import AXES
    except ImportError:
        return ()
    axis = AXES.get(option) if option != "base_path" else None
    return axis.values if axis is not None else ()


class ClientConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str = ""
    simulators: Literal["builtin"] | None = Field(
        None, description="`builtin`: start the bundled simulators for each run (demo clients)"
    )
    simulator: dict[str, str] = Field(
        default_factory=dict, description="with `simulators: builtin`: version, layout, base_path"
    )
    settings: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, SecretSpec] = Field(default_factory=dict)
    screencast: bool = Field(
        default=False,
        description="record the trace's screencast (pictures of the screen, which cannot be "
        "scrubbed): only for non-production clients; every report then says so",
    )
    timeout: Duration | None = Field(
        None, description="this client's element timeout (a slow system); default: the config's"
    )
    navigation_timeout: Duration | None = Field(
        None, description="this client's page-load timeout; default: the config's"
    )

    @field_validator("simulator")
    @classmethod
    def _known_simulator_options(cls, options: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(options) - set(SIMULATOR_OPTIONS))
        if unknown:
            close = did_you_mean(unknown[0], SIMULATOR_OPTIONS)
            raise ValueError(f"unknown option {', '.join(unknown)}{close}")
        for name, value in options.items():
            values = simulator_values(name)
            if values and value not in values:
                close = did_you_mean(value, values)
                raise ValueError(f"the simulators have no {name} {value!r}{close}")
        return options

    @field_validator("settings")
    @classmethod
    def _typed_settings(cls, settings: dict[str, Any]) -> dict[str, Any]:
        problems = []  # every bad setting at once, one line each (`load_config` places each)
        for name, value in settings.items():
            try:
                check_setting(name, value)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("\n".join(problems))
        return settings


class BrowserConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    executable_path: str | None = None
    ws_endpoint: str | None = None
    cdp_endpoint: str | None = None
    endpoints: list[BrowserEndpoint] = Field(
        default_factory=list, description="browsers elsewhere for `bot fleet run`"
    )
    local_capacity: int | None = Field(
        default=None,
        ge=0,
        description="fleet runs at once in the browser `bot run` would use (default: "
        "--parallel; 0: only the endpoints)",
    )


class RunsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    root: str = "runs"
    trace: Literal["always", "on-failure"] = "always"
    screenshots: ScreenshotPolicy = Field(
        default="on-failure",
        description="screenshots after steps: on-failure (none: the trace shows every step), "
        "on-change (after each step that acts on the page) or every-step; each keeps one at a "
        "failure and one of the final state",
    )
    history: str = ".bot/history.sqlite"


def client_name_problem(name: Any) -> str | None:
    """Why `name` cannot name a client, or None when it can."""
    if CLIENT_NAME.match(str(name)):
        return None
    return (
        f"client name '{name}' may only use a-z, 0-9, '.', '_' and '-' (and starts with a "
        "letter or digit): it names run folders and lock files"
    )


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    runbooks: list[str] = Field(default_factory=lambda: ["runbooks"])
    timeout: Duration = Field(10.0, description="how long a step waits for an element")
    navigation_timeout: Duration = Field(30.0, description="how long a page may take to load")
    browser: BrowserConfig = Field(default_factory=BrowserConfig)
    runs: RunsConfig = Field(default_factory=RunsConfig)
    clients: dict[str, ClientConfig] = Field(default_factory=dict)
    path: str = Field("", exclude=True)
    empty: bool = Field(False, exclude=True)  # the file says nothing at all
    dotenv: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)

    @field_validator("clients")
    @classmethod
    def _client_names(cls, clients: dict[str, ClientConfig]) -> dict[str, ClientConfig]:
        for name in clients:
            problem = client_name_problem(name)
            if problem is not None:
                raise ValueError(problem)
        return clients

    def environment(self, overlay: Mapping[str, str] | None = None) -> Environment:
        """The variables `env:` secret references name, and only those: from the `.env` beside
        the config, the process environment over it, `overlay` (e.g. the built-in simulators'
        passwords) on top; each with where it was set. Nothing else of `.env` is ever used, and
        nothing is exported."""
        names = {
            spec.ref.removeprefix("env:")
            for client in self.clients.values()
            for spec in client.secrets.values()
            if spec.ref.startswith("env:")
        }
        layers = (
            (self.dotenv, self.dotenv_path()),
            (os.environ, EXPORTED),
            (overlay or {}, "the built-in simulators"),
        )
        values: dict[str, str] = {}
        origins: dict[str, str] = {}
        for layer, where in layers:
            for name in sorted(names & set(layer)):
                values[name], origins[name] = layer[name], where
        dotenv_lines = dotenv_line_numbers(Path(self.dotenv_path()))
        for name, where in origins.items():
            if where == self.dotenv_path() and name in dotenv_lines:
                origins[name] = f"{where}:{dotenv_lines[name]}"
        return Environment(values, origins)

    def dotenv_path(self) -> str:
        """The `.env` beside the config, that secret references look into."""
        return str(self.base_dir() / ".env")

    def base_dir(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def client(self, name: str) -> ClientConfig:
        if name not in self.clients:
            raise InputError(f"{self.path}: unknown client '{name}'{self.no_client_hint(name)}")
        return self.clients[name]

    def no_client_hint(self, name: str | None = None) -> str:
        """What to do when a client is not in the config: the one meant, else how to add one."""
        if self.clients:
            return did_you_mean(name, self.clients) if name else ""
        said = "the file is empty" if self.empty else "it has no clients"
        return (
            f": {said}. Add your clients under `clients:` (README, Configuration), or remove "
            "it and run `bot init`, which writes one with a demo client"
        )

    def timeouts(self, client: str | None) -> tuple[float, float]:
        """(element, navigation) timeouts in seconds for `client`: its own, else the config's."""
        spec = self.clients.get(client) if client else None
        element = spec.timeout if spec is not None and spec.timeout is not None else self.timeout
        navigation = self.navigation_timeout
        if spec is not None and spec.navigation_timeout is not None:
            navigation = spec.navigation_timeout
        return element, navigation

    def to_yaml(self) -> str:
        """This config as `config.yaml` text (what is not a default)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def resolve(self, relative: str) -> Path:
        """A path the config names (`runs.root`, a runbook folder…): `~` is the user's home, as
        in a shell; a relative one is beside the config."""
        path = expand_home(relative)
        return path if path.is_absolute() else self.base_dir() / path


def expand_home(written: str) -> Path:
    """`written` with a leading `~` or `~user` expanded (kept as written when there is no home
    to expand it to: no HOME, no such user)."""
    try:
        return Path(written).expanduser()
    except RuntimeError:
        return Path(written)


def check_setting(name: str, value: Any) -> None:
    """Settings are typed by their name: `*_url`, `*_email(s)`, `time_zone`."""
    if name.endswith("_url") and value is not None:
        from bot.language.urls import normalise_url

        try:
            normalise_url(str(value))
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    elif name.endswith(("_email", "_emails")):
        items = value if isinstance(value, list) else [value]
        bad = [str(item) for item in items if not EMAIL.match(str(item))]
        if bad:
            raise ValueError(f"{name}: not an email address: {', '.join(bad)}")
    elif name in ("time_zone", "timezone") and value is not None:
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{name}: unknown time zone '{value}': use an IANA name such as Australia/Sydney"
            ) from None
