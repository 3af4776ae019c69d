"""The runbook language: YAML with source lines, the document model, loading and static checks,
templating, the step registry and the JSON Schema. No browser, no engine: it only reads text."""

from bot.language.checks import CheckContext, check_runbook
from bot.language.diagnostics import (
    Collector,
    Diagnostic,
    ValidationFailed,
    did_you_mean,
    with_count,
)
from bot.language.document import ParamSpec, Runbook, StepNode
from bot.language.durations import Duration, parse_duration
from bot.language.envelope import Envelope, Retry
from bot.language.loader import load_runbook, load_source
from bot.language.locator import ROLES, AriaRole, Locator
from bot.language.params import bind_params
from bot.language.registry import Registry, StepSpec
from bot.language.schema import runbook_schema
from bot.language.secrets import MASK, Secret, origin_of
from bot.language.source import Source, YamlSyntaxError, parse_yaml
from bot.language.step_parser import captured_names
from bot.language.templating import evaluate, render, version_at_least
from bot.language.urls import normalise_url

__all__ = [
    "MASK",
    "ROLES",
    "AriaRole",
    "CheckContext",
    "Collector",
    "Diagnostic",
    "Duration",
    "Envelope",
    "Locator",
    "ParamSpec",
    "Registry",
    "Retry",
    "Runbook",
    "Secret",
    "Source",
    "StepNode",
    "StepSpec",
    "ValidationFailed",
    "YamlSyntaxError",
    "bind_params",
    "captured_names",
    "check_runbook",
    "did_you_mean",
    "evaluate",
    "load_runbook",
    "load_source",
    "normalise_url",
    "origin_of",
    "parse_duration",
    "parse_yaml",
    "render",
    "runbook_schema",
    "version_at_least",
    "with_count",
]
