"""Reading a run in Playwright's trace viewer as a person does."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def expand_every_group(page: Page, *, timeout_ms: float = 30_000) -> None:
    """Open every runbook step's group in the viewer's action tree (they start collapsed), so
    each browser action of the run is listed."""
    expect(page.get_by_role("treeitem").first).to_be_visible(timeout=timeout_ms)
    collapsed = page.get_by_role("treeitem", expanded=False).filter(
        has=page.locator(".codicon-chevron-right")
    )
    for _ in range(500):  # a bound, not a guess: a run has far fewer steps
        if not collapsed.count():
            return
        collapsed.first.locator(".codicon-chevron-right").first.click()
    raise AssertionError("the trace viewer's groups do not open")
