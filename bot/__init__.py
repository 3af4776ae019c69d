"""runbook-bot: support runbooks in real browsers, safely, leaving scrubbed evidence.

The public API: what the CLI, the pytest plugin, the tests and your own Python use.

    from bot import Catalog, RunOptions, execute, load_config, BUILTIN
    config = load_config(Path("config.yaml"))
    catalog = Catalog.for_config(config, BUILTIN)   # its runbook folders, then the built-in ones
    outcome = execute(config, catalog, "status", "acme", {}, RunOptions(), sys.stdout)

Names are imported on first use, so `import bot` (and `bot --help`) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what each name is, for type checkers; imported on first use below
    from bot.app import (
        SANDBOX_CLIENT,
        BrowserChoice,
        Catalog,
        ClientBusy,
        ClientConfig,
        ClientOutcome,
        ClientProgress,
        Config,
        FleetOptions,
        FleetReport,
        Plan,
        RunOptions,
        RunOutcome,
        SandboxBot,
        SandboxRun,
        ViewerError,
        builtin_runbooks,
        check_client_secrets,
        check_viewer,
        choose_browser,
        client_settings,
        copy_builtin_runbook,
        create_working_folder,
        days_left,
        due_clients,
        execute,
        find_config,
        get_checked,
        known_facts,
        launch_args,
        load_config,
        make_plan,
        masked_for_clients,
        nobody_to_run,
        open_session,
        real_clients,
        require_simulators,
        run_fleet,
        sandbox_config,
        sandboxes,
        serve_trace,
        show_in_browser,
        simulated_clients,
        validate,
        write_env_file,
    )
    from bot.engine import (
        Event,
        EventBus,
        Listener,
        RunFinished,
        RunResult,
        RunStarted,
        StepEvent,
        StepStatus,
        interrupts,
    )
    from bot.errors import (
        BotError,
        FailureKind,
        InputError,
        RunInterrupted,
        StepError,
    )
    from bot.evidence import (
        History,
        RunRow,
        Scrubber,
        write_shared_html,
    )
    from bot.language import (
        MASK,
        Runbook,
        Source,
        StepNode,
        ValidationFailed,
        bind_params,
        runbook_schema,
        version_at_least,
        with_count,
    )
    from bot.steps import (
        BUILTIN,
    )

__all__ = [
    "BUILTIN",
    "MASK",
    "SANDBOX_CLIENT",
    "BotError",
    "BrowserChoice",
    "Catalog",
    "ClientBusy",
    "ClientConfig",
    "ClientOutcome",
    "ClientProgress",
    "Config",
    "Event",
    "EventBus",
    "FailureKind",
    "FleetOptions",
    "FleetReport",
    "History",
    "InputError",
    "Listener",
    "Plan",
    "RunFinished",
    "RunInterrupted",
    "RunOptions",
    "RunOutcome",
    "RunResult",
    "RunRow",
    "RunStarted",
    "Runbook",
    "SandboxBot",
    "SandboxRun",
    "Scrubber",
    "Source",
    "StepError",
    "StepEvent",
    "StepNode",
    "StepStatus",
    "ValidationFailed",
    "ViewerError",
    "bind_params",
    "builtin_runbooks",
    "check_client_secrets",
    "check_viewer",
    "choose_browser",
    "client_settings",
    "copy_builtin_runbook",
    "create_working_folder",
    "days_left",
    "due_clients",
    "execute",
    "find_config",
    "get_checked",
    "interrupts",
    "known_facts",
    "launch_args",
    "load_config",
    "make_plan",
    "masked_for_clients",
    "nobody_to_run",
    "open_session",
    "real_clients",
    "require_simulators",
    "run_fleet",
    "runbook_schema",
    "sandbox_config",
    "sandboxes",
    "serve_trace",
    "show_in_browser",
    "simulated_clients",
    "validate",
    "version_at_least",
    "with_count",
    "write_env_file",
    "write_shared_html",
]
# where the names come from, lowest layer first (a name is looked up in each, in this order)
_LAYERS = ("bot.errors", "bot.language", "bot.engine", "bot.steps", "bot.evidence", "bot.app")
# names that are modules, imported alone (every command installs `interrupts` first: the layers
# below the engine stay unloaded, and `bot --help` fast)
_MODULES = {"interrupts": "bot.engine.interrupts"}


def __dir__() -> list[str]:
    """What `dir(bot)` and completion show: the public names, loaded or not yet."""
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    if name in _MODULES:
        return import_module(_MODULES[name])
    for layer in _LAYERS:
        module = import_module(layer)
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value  # the next lookup is a plain attribute
            return value
    raise AttributeError(f"module 'bot' has no attribute {name!r}")  # pragma: no cover
