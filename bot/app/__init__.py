"""The application: composes a run from the config (clients, secrets), the runbook catalog, a
browser, the engine with the built-in actions, and the evidence; and the simulators as clients."""

from bot.app.browser import BrowserChoice, choose_browser, launch_args
from bot.app.catalog import Catalog, builtin_runbooks
from bot.app.config import ClientConfig, Config, find_config, load_config, write_env_file
from bot.app.due import days_left, due_clients, known_facts, real_clients
from bot.app.fleet import FleetOptions, FleetReport, run_fleet
from bot.app.fleet_client import ClientOutcome, ClientProgress
from bot.app.locks import ClientBusy, client_lock
from bot.app.options import RunOptions, RunOutcome
from bot.app.plan import Plan, client_settings, make_plan, resolve_secrets, validate
from bot.app.run import execute
from bot.app.sandbox import SandboxBot, SandboxRun
from bot.app.session import Session, open_session
from bot.app.simulators import SANDBOX_CLIENT, builtin_simulators, sandbox_config, sandboxes

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
    "builtin_runbooks",
    "builtin_simulators",
    "choose_browser",
    "client_lock",
    "client_settings",
    "days_left",
    "due_clients",
    "execute",
    "find_config",
    "known_facts",
    "launch_args",
    "load_config",
    "make_plan",
    "open_session",
    "real_clients",
    "resolve_secrets",
    "run_fleet",
    "sandbox_config",
    "sandboxes",
    "validate",
    "write_env_file",
]
