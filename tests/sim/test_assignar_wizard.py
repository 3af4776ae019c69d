"""The Re-Authorize wizard in a real browser, with plain Playwright calls (not the bot).

Everything is found the way the runbooks must find it: roles, labels and visible text.
"""

from __future__ import annotations

import re

import pytest
from bot_sim.harness import Simulators
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser


def sign_in_and_open_card(page: Page, sims: Simulators) -> None:
    """Sign in, then Settings → Integrations → Acumatica card → View."""
    page.goto(sims.assignar_url)
    page.get_by_label("Email").fill(sims.credentials["assignar"]["email"])
    page.get_by_label("Password").fill(sims.credentials["assignar"]["password"])
    page.get_by_role("button", name="Sign in").click()
    nav = page.get_by_role("navigation")
    nav.get_by_role("link", name="Settings").click()
    nav.get_by_role("link", name="Integrations").click()
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    card = (
        page.get_by_role("article")
        .or_(page.get_by_role("region"))
        .filter(has=page.get_by_role("heading", name="Acumatica"))
    )
    card.get_by_role("link", name="View").or_(card.get_by_role("button", name="View")).click()
    expect(page.get_by_role("heading", name="Acumatica", level=1)).to_be_visible()


def open_connection_editor(page: Page) -> Locator:
    """Re-Authorize → time zone → emails → the row's Update; returns the dialog."""
    page.get_by_role("button", name="Re-Authorize").click()
    dialog = page.get_by_role("dialog", name="Re-Authorize Acumatica")
    expect(dialog.get_by_label("Time zone")).to_have_value("Australia/Sydney")
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("Notification email addresses").fill(
        "ops@acme.example, support@acme.example"
    )
    dialog.get_by_role("button", name="Next").click()
    more = dialog.get_by_role("button", name="More actions")
    edit = dialog.get_by_role("button", name="Edit")
    expect(more.or_(edit)).to_be_visible()
    if more.count():
        more.click()
        dialog.get_by_role("menuitem", name="Update").click()
    else:
        edit.click()
    return dialog


def sign_in_to_acumatica(page: Page, sims: Simulators, username: str) -> None:
    page.locator("#txtUser").fill(username)  # Acumatica's sign-in page has no labels
    page.locator("input[type=password]").fill(sims.credentials["acumatica"][username])
    page.get_by_role("button", name="Sign In").click()


@pytest.mark.parametrize("layout", ["menu", "pencil"])
def test_reauthorize_end_to_end(page: Page, sims: Simulators, layout: str) -> None:
    sims.assignar.update_settings(layout=layout)
    sims.assignar.set_integration(enabled=False)
    sign_in_and_open_card(page, sims)
    expect(page.get_by_text("Status: Disabled")).to_be_visible()
    dialog = open_connection_editor(page)
    expect(dialog.get_by_label("Tenant ID")).to_have_value("Acme Live")
    expect(dialog.get_by_label("Instance URL")).to_have_value(sims.acumatica_url.split("://", 1)[1])
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Acumatica Cloud ERP 2024 R1 Build 24.105.0012")).to_be_visible()
    sign_in_to_acumatica(page, sims, "assignar.integration")
    expect(page.get_by_text("Assignar is requesting your permission")).to_be_visible()
    page.get_by_role("button", name="Yes, Allow").click()
    dialog = page.get_by_role("dialog", name="Re-Authorize Acumatica")
    expect(dialog.get_by_text("Authentication successfully renewed")).to_be_visible()
    dialog.get_by_role("button", name="Finish").click()
    expect(dialog).to_be_hidden()
    switch = page.get_by_role("switch", name="Enable")
    expect(switch).not_to_be_checked()
    switch.click()
    expect(switch).to_be_checked()
    expect(page.get_by_text("Status: Connected")).to_be_visible()
    expect(page.get_by_text("Authorized user: assignar.integration")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Last authorized: \d{4}-\d\d-\d\d \d\d:\d\d UTC"))
    ).to_be_visible()
    page.reload()
    expect(page.get_by_role("switch", name="Enable")).to_be_checked()
    state = sims.assignar.snapshot()["integration"]
    assert state["enabled"]
    assert state["status"] == "Connected"
    assert state["authorized_user"] == "assignar.integration"
    assert state["emails"] == ["ops@acme.example", "support@acme.example"]
    assert state["has_refresh_token"]


@pytest.mark.parametrize("layout", ["menu", "pencil"])
def test_tenant_change_is_refused(page: Page, sims: Simulators, layout: str) -> None:
    sims.assignar.update_settings(layout=layout)
    sign_in_and_open_card(page, sims)
    dialog = open_connection_editor(page)
    dialog.get_by_label("Tenant ID").fill("Acme Test")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "To change Acumatica tenants, please contact the Assignar Support Team."
    )
    assert page.url.startswith(sims.assignar_url)
    assert sims.assignar.integration.tenant == "Acme Live"
    assert sims.acumatica.snapshot()["sign_in_attempts"] == []


def test_consent_denied_changes_nothing(page: Page, sims: Simulators) -> None:
    sims.assignar.update_settings(layout="pencil")
    before = sims.assignar.snapshot()["integration"]
    sign_in_and_open_card(page, sims)
    open_connection_editor(page).get_by_role("button", name="Save").click()
    sign_in_to_acumatica(page, sims, "assignar.integration")
    page.get_by_role("button", name="No, Do Not Allow").click()
    dialog = page.get_by_role("dialog", name="Re-Authorize Acumatica")
    expect(dialog.get_by_role("alert")).to_have_text("Acumatica consent was denied")
    assert sims.assignar.snapshot()["integration"] == before
    expect(page.get_by_text("Status: Needs re-authorization")).to_be_visible()


def test_session_expiring_mid_wizard_asks_to_sign_in_again(page: Page, sims: Simulators) -> None:
    sign_in_and_open_card(page, sims)
    page.get_by_role("button", name="Re-Authorize").click()
    sims.assignar.expire_sessions()
    page.get_by_role("dialog").get_by_role("button", name="Next").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Your session has expired. Please sign in again."
    )
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(sims.credentials["assignar"]["email"])
    page.get_by_label("Password").fill(sims.credentials["assignar"]["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Acumatica", level=1)).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_settings_expands_in_place_on_pencil_layout(page: Page, sims: Simulators) -> None:
    sims.assignar.update_settings(layout="pencil")
    sign_in_and_open_card(page, sims)
    page.goto(sims.assignar_url)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Integrations")).to_be_hidden()
    nav.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(sims.assignar_url + "/")
    expect(nav.get_by_role("link", name="Integrations")).to_be_visible()
