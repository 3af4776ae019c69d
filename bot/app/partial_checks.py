"""A runbook file with problems, checked as far as it parsed: the problems of its YAML and
fields come with those the checks of a whole runbook find in the rest (a misspelt setting beside
a misspelt field), so one `bot validate` shows every mistake of the file, in line order."""

from __future__ import annotations

from typing import Any

from bot.app.catalog import Catalog
from bot.app.config import ClientConfig
from bot.language.checks import CheckContext, check_runbook
from bot.language.diagnostics import Diagnostic, ValidationFailed
from bot.language.document import Runbook
from bot.language.loader import RunbookInvalid
from bot.language.source import Source


def get_checked(
    catalog: Catalog, name: str, client: ClientConfig | None, settings: dict[str, Any] | None
) -> Runbook:
    """`catalog.get(name)`; when its file has problems, they are raised with every problem the
    static checks find in what did parse (for `client`'s `settings` when given)."""
    try:
        return catalog.get(name)
    except RunbookInvalid as exc:
        if exc.partial is None:
            raise
        lookup = Tolerant(catalog)
        ctx = CheckContext(
            settings=settings,
            lookup=lookup,
            secret_names=set(client.secrets) if client is not None else None,
        )
        more = check_runbook(exc.partial, ctx)
        found = in_order(exc.diagnostics, more, lookup.problems)
        sources = {**ctx.sources, **lookup.sources, **exc.sources}
        raise ValidationFailed(found, sources) from None


def in_order(*found: list[Diagnostic]) -> list[Diagnostic]:
    """The problems once each, file by file (in the order the files first appear), each file's
    in line order."""
    every = list(dict.fromkeys(d for problems in found for d in problems))
    files = list(dict.fromkeys(d.file for d in every))
    return sorted(every, key=lambda d: (files.index(d.file), d.line or 0))


class Tolerant:
    """The runbooks `use:` reaches; one with problems of its own is checked as far as it parsed
    (its problems kept), so it hides none of the caller's."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[Diagnostic] = []
        self.sources: dict[str, Source] = {}

    def __call__(self, name: str) -> Runbook | None:
        try:
            return self.catalog.find_named(name)
        except RunbookInvalid as exc:
            if exc.partial is None:
                raise
            self.problems += exc.diagnostics
            self.sources.update(exc.sources)
            return exc.partial
