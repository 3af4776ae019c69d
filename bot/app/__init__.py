"""The application: composes a run from the config (clients, secrets), the runbook catalog, a
browser, the engine with the built-in actions, and the evidence; and the simulators as clients.

Names are imported on first use, as in `bot`: `bot run` loads what a run needs, and not the fleet,
the trace viewer or the working-folder helpers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what each name is, for type checkers; imported on first use below
    from bot.app.browser import BrowserChoice, choose_browser, launch_args
    from bot.app.catalog import Catalog, builtin_runbooks
    from bot.app.config import ClientConfig, Config
    from bot.app.config_files import find_config, load_config
    from bot.app.dotenv_file import write_env_file
    from bot.app.due import (
        days_left,
        due_clients,
        known_facts,
        nobody_to_run,
        real_clients,
        simulated_clients,
    )
    from bot.app.fleet import FleetOptions, FleetReport, run_fleet
    from bot.app.fleet_client import ClientOutcome, ClientProgress
    from bot.app.locks import ClientBusy, client_lock
    from bot.app.options import RunOptions, RunOutcome
    from bot.app.partial_checks import get_checked
    from bot.app.plan import (
        Plan,
        check_client_secrets,
        client_settings,
        make_plan,
        masked_for_clients,
        resolve_secrets,
        validate,
    )
    from bot.app.run import execute
    from bot.app.sandbox import SandboxBot, SandboxRun
    from bot.app.session import Session, open_session
    from bot.app.simulators import (
        SANDBOX_CLIENT,
        builtin_simulators,
        require_simulators,
        sandbox_config,
        sandboxes,
    )
    from bot.app.trace_viewer import ViewerError, check_viewer, serve_trace, show_in_browser
    from bot.app.working_folder import copy_builtin_runbook, create_working_folder

__all__ = [
    "SANDBOX_CLIENT",
    "BrowserChoice",
    "Catalog",
    "ClientBusy",
    "ClientConfig",
    "ClientOutcome",
    "ClientProgress",
    "Config",
    "FleetOptions",
    "FleetReport",
    "Plan",
    "RunOptions",
    "RunOutcome",
    "SandboxBot",
    "SandboxRun",
    "Session",
    "ViewerError",
    "builtin_runbooks",
    "builtin_simulators",
    "check_client_secrets",
    "check_viewer",
    "choose_browser",
    "client_lock",
    "client_settings",
    "copy_builtin_runbook",
    "create_working_folder",
    "days_left",
    "due_clients",
    "execute",
    "find_config",
    "get_checked",
    "known_facts",
    "launch_args",
    "load_config",
    "make_plan",
    "masked_for_clients",
    "nobody_to_run",
    "open_session",
    "real_clients",
    "require_simulators",
    "resolve_secrets",
    "run_fleet",
    "sandbox_config",
    "sandboxes",
    "serve_trace",
    "show_in_browser",
    "simulated_clients",
    "validate",
    "write_env_file",
]

# the module each public name comes from
_WHERE = {
    "BrowserChoice": "bot.app.browser",
    "Catalog": "bot.app.catalog",
    "ClientBusy": "bot.app.locks",
    "ClientConfig": "bot.app.config",
    "ClientOutcome": "bot.app.fleet_client",
    "ClientProgress": "bot.app.fleet_client",
    "Config": "bot.app.config",
    "FleetOptions": "bot.app.fleet",
    "FleetReport": "bot.app.fleet",
    "Plan": "bot.app.plan",
    "RunOptions": "bot.app.options",
    "RunOutcome": "bot.app.options",
    "SANDBOX_CLIENT": "bot.app.simulators",
    "SandboxBot": "bot.app.sandbox",
    "SandboxRun": "bot.app.sandbox",
    "Session": "bot.app.session",
    "ViewerError": "bot.app.trace_viewer",
    "builtin_runbooks": "bot.app.catalog",
    "builtin_simulators": "bot.app.simulators",
    "check_client_secrets": "bot.app.plan",
    "check_viewer": "bot.app.trace_viewer",
    "choose_browser": "bot.app.browser",
    "client_lock": "bot.app.locks",
    "client_settings": "bot.app.plan",
    "copy_builtin_runbook": "bot.app.working_folder",
    "create_working_folder": "bot.app.working_folder",
    "days_left": "bot.app.due",
    "due_clients": "bot.app.due",
    "execute": "bot.app.run",
    "find_config": "bot.app.config_files",
    "get_checked": "bot.app.partial_checks",
    "known_facts": "bot.app.due",
    "launch_args": "bot.app.browser",
    "load_config": "bot.app.config_files",
    "make_plan": "bot.app.plan",
    "masked_for_clients": "bot.app.plan",
    "nobody_to_run": "bot.app.due",
    "open_session": "bot.app.session",
    "real_clients": "bot.app.due",
    "require_simulators": "bot.app.simulators",
    "resolve_secrets": "bot.app.plan",
    "run_fleet": "bot.app.fleet",
    "sandbox_config": "bot.app.simulators",
    "sandboxes": "bot.app.simulators",
    "serve_trace": "bot.app.trace_viewer",
    "show_in_browser": "bot.app.trace_viewer",
    "simulated_clients": "bot.app.due",
    "validate": "bot.app.plan",
    "write_env_file": "bot.app.dotenv_file",
}


def __dir__() -> list[str]:
    """What `dir(bot.app)` and completion show: the public names, loaded or not yet."""
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'bot.app' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value
