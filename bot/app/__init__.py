"""The application: composes a run from the config (clients, secrets), the runbook catalog, a
browser, the engine with the built-in actions, and the evidence; and the simulators as clients."""

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
