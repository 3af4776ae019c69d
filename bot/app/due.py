"""Who is due: clients whose 30-day authorization runs out soon, from what runs remembered."""

from __future__ import annotations

from contextlib import closing
from datetime import date

from bot.app.config import Config
from bot.evidence import History

SLIDING = "sliding_expiration"
NEXT_DUE = "next_due"


def known_facts(config: Config) -> dict[str, dict[str, str]]:
    """Every client's facts (what its latest passing runs remembered), as they stand now (see
    `standing`); none without a history."""
    path = config.resolve(config.runs.history)
    if not path.exists():
        return {}
    with closing(History(path)) as history:
        return standing_facts(history)


def standing_facts(history: History, client: str | None = None) -> dict[str, dict[str, str]]:
    """Every client's facts (or one client's) as they stand now: what `fleet` reads and what a
    run's `{{ facts.NAME }}` sees."""
    return {name: standing(facts) for name, facts in history.client_facts_in_order(client).items()}


def standing(facts: dict[str, tuple[str, int]]) -> dict[str, str]:
    """A client's facts (each with the order it was remembered in) without those a later fact
    overrules: Sliding Expiration configured after a re-authorization ends its 30-day deadline
    (refresh tokens are renewed on use), so that `next_due` no longer holds. A `next_due`
    remembered after it (a later re-authorization still found a deadline) holds."""
    sliding, due = facts.get(SLIDING), facts.get(NEXT_DUE)
    stale = sliding is not None and due is not None and due[1] < sliding[1]
    return {name: value for name, (value, _) in facts.items() if not (stale and name == NEXT_DUE)}


def real_clients(config: Config) -> list[str]:
    """Clients on real systems (the built-in simulators start fresh each run: nothing is due)."""
    return [name for name, spec in config.clients.items() if spec.simulators != "builtin"]


def simulated_clients(config: Config) -> list[str]:
    """Clients on the built-in simulators, which a fleet leaves out (`bot run` runs them)."""
    return [name for name, spec in config.clients.items() if spec.simulators == "builtin"]


def nobody_to_run(config: Config, runbook: str) -> str:
    """Why a fleet without `--client` has no client to run, and what to do instead."""
    simulated = simulated_clients(config)
    if not simulated:
        return f"{config.path}: no clients to run{config.no_client_hint()}"
    listed = ", ".join(simulated)
    return (
        f"{config.path}: no clients to run: {listed} "
        f"{'runs' if len(simulated) == 1 else 'run'} on the built-in simulators, which `bot fleet "
        f"run` leaves out: use `bot run {runbook} --client {simulated[0]}`, or add real clients "
        "under `clients:`"
    )


def days_left(due: str | None) -> int | None:
    """Days from today until `due` (an ISO date); None when unknown or not a date."""
    try:
        return (date.fromisoformat(due).toordinal() - date.today().toordinal()) if due else None
    except ValueError:
        return None


def due_clients(config: Config, facts: dict[str, dict[str, str]], within: int) -> list[str]:
    """Clients whose authorization runs out within `within` days, or whose state is unknown."""
    due = []
    for name in real_clients(config):
        known = facts.get(name, {})
        left = days_left(known.get("next_due"))
        if known.get("sliding_expiration") and left is None:
            continue  # sliding expiration: no 30-day deadline
        if left is None or left <= within:
            due.append(name)
    return due
