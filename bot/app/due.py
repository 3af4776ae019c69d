"""Who is due: clients whose 30-day authorization runs out soon, from what runs remembered."""

from __future__ import annotations

from contextlib import closing
from datetime import date

from bot.app.config import Config
from bot.evidence import History


def known_facts(config: Config) -> dict[str, dict[str, str]]:
    """Every client's facts (what its latest passing runs remembered); none without a history."""
    path = config.resolve(config.runs.history)
    if not path.exists():
        return {}
    with closing(History(path)) as history:
        return history.client_facts()


def real_clients(config: Config) -> list[str]:
    """Clients on real systems (the built-in simulators start fresh each run: nothing is due)."""
    return [name for name, spec in config.clients.items() if spec.simulators != "builtin"]


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
