"""Unit-test helpers: runbooks and configs from inline YAML, no browser."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import (
    Catalog,
    Config,
    Runbook,
    Source,
    ValidationFailed,
    client_settings,
    load_config,
    validate,
)
from bot.language import load_source
from bot.steps import BUILTIN

RUNBOOK_PATH = "runbooks/t.yaml"


def _load(text: str) -> Runbook:
    return load_source(Source(RUNBOOK_PATH, textwrap.dedent(text)), BUILTIN)


def _broken(text: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        validate(_load(text), Catalog([], BUILTIN), None, None)
    return info.value


@pytest.fixture
def load_yaml() -> Callable[[str], Runbook]:
    """A runbook from dedented inline YAML (raises ValidationFailed)."""
    return _load


@pytest.fixture
def broken() -> Callable[[str], ValidationFailed]:
    """The ValidationFailed that loading, then checking, a runbook raises (no client)."""
    return _broken


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "config.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def check_with_client(tmp_path: Path) -> Callable[[str, Config, str], None]:
    """Static checks of a runbook for a named client of `config` (what `bot plan/run` do first)."""

    def check(text: str, config: Config, client: str) -> None:
        spec = config.client(client)
        validate(_load(text), Catalog([tmp_path], BUILTIN), spec, client_settings(client, spec))

    return check


@pytest.fixture
def config_of(write_config: Callable[[str], Path]) -> Callable[[str], Config]:
    def make(text: str) -> Config:
        return load_config(write_config(text))

    return make
