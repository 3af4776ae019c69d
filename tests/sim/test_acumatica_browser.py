"""The Acumatica simulator in a real Chromium, driven by plain Playwright calls (not the bot)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bot_sim.acumatica.testing import CALLBACK_PATH, RunningAcumatica, start_acumatica
from playwright.sync_api import FrameLocator, Page, expect

pytestmark = pytest.mark.browser
USER = "assignar.integration"


def sign_in(
    page: Page,
    acu: RunningAcumatica,
    user: str,
    password: str | None = None,
    tenant: str | None = None,
) -> None:
    """As scripts sign into real instances: by the spec's names and ids (no label is known)."""
    if tenant:
        page.locator("select[name='ctl00$phUser$cmbCompany']").select_option(tenant)
    page.locator("#txtUser").fill(user)
    page.locator("input[type=password]").fill(password or acu.passwords[user])
    page.get_by_role("button", name="Sign In").click()


def test_sign_in_success(page: Page, acu: RunningAcumatica) -> None:
    page.goto(f"{acu.url}/Frames/Login.aspx")
    expect(page.get_by_text("Acumatica Cloud ERP 2024 R1 Build 24.105.0012")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your credentials?")).to_be_visible()
    sign_in(page, acu, "admin", tenant="Acme Test")
    expect(page).to_have_url(re.compile(r"/Main$"))
    expect(page.get_by_text("admin (Acme Test)")).to_be_visible()


@pytest.mark.parametrize(
    ("naming", "labels", "placeholders"),
    [("none", 0, 0), ("labels", 3, 0), ("placeholders", 0, 2)],
)
def test_sign_in_page_names_its_fields_only_when_a_variation_asks(
    page: Page, acu: RunningAcumatica, naming: str, labels: int, placeholders: int
) -> None:
    acu.sim.update_settings(sign_in_labels=naming)
    page.goto(f"{acu.url}/Frames/Login.aspx")
    expect(page.locator("label")).to_have_count(labels)
    expect(page.locator("[placeholder]")).to_have_count(placeholders)
    expect(page.locator("input[type=submit][value='Sign In']")).to_be_visible()


def test_sign_in_failure_shows_an_error(page: Page, acu: RunningAcumatica) -> None:
    page.goto(f"{acu.url}/Frames/Login.aspx")
    expect(page.get_by_text("Last update was unsuccessful")).to_be_hidden()
    sign_in(page, acu, "jane.doe", "wrong password")
    expect(page.get_by_text("Invalid credentials. Please try again.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/Frames/Login\.aspx"))


def test_lockout_after_five_failures(page: Page, acu: RunningAcumatica) -> None:
    page.goto(f"{acu.url}/Frames/Login.aspx")
    for attempt in range(1, 6):
        with page.expect_response(lambda r: r.request.method == "POST"):
            sign_in(page, acu, "jane.doe", "wrong password")
        assert len(acu.sim.sign_in_log) == attempt
    locked = page.get_by_text("Your account is locked out. Please contact your administrator.")
    expect(locked).to_be_visible()
    sign_in(page, acu, "jane.doe")
    expect(locked).to_be_visible()
    assert acu.sim.users["jane.doe"].locked


def consent_page(page: Page, acu: RunningAcumatica, state: str = "xyz") -> None:
    page.goto(acu.authorize_url(state=state))
    expect(page.locator("#cmbCompany")).to_have_value("Acme Live")
    sign_in(page, acu, USER)
    expect(page.get_by_text("Assignar is requesting your permission")).to_be_visible()


def test_consent_allow(page: Page, acu: RunningAcumatica) -> None:
    consent_page(page, acu, state="st-1")
    expect(page.get_by_text("Application Access")).to_be_visible()
    expect(page.get_by_label("Access to Web Services API")).to_be_checked()
    expect(page.get_by_label("Offline Access")).to_be_checked()
    page.get_by_role("button", name="Yes, Allow").click()
    expect(page.get_by_text("Callback received")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert list(query) == ["code", "scope", "state"]
    assert query["scope"] == ["api offline_access"]
    assert query["state"] == ["st-1"]


def test_consent_deny(page: Page, acu: RunningAcumatica) -> None:
    consent_page(page, acu, state="st-2")
    page.get_by_role("button", name="No, Do Not Allow").click()
    expect(page).to_have_url(re.compile(r"error=access_denied.*state=st-2"))


def test_consent_remembered(page: Page, acu: RunningAcumatica) -> None:
    consent_page(page, acu)
    page.get_by_label("Remember My Decision").check()
    page.get_by_role("button", name="Yes, Allow").click()
    expect(page.get_by_text("Callback received")).to_be_visible()
    page.goto(acu.authorize_url(state="again"))
    expect(page).to_have_url(re.compile(CALLBACK_PATH + r"\?code=.*state=again"))


def test_consent_forced_remembered_by_setting(page: Page, acu: RunningAcumatica) -> None:
    acu.sim.update_settings(consent_remembered=True)
    page.goto(acu.authorize_url())
    sign_in(page, acu, USER)
    expect(page.get_by_text("Callback received")).to_be_visible()


@pytest.mark.parametrize("variant", ["login", "identity"])
def test_authorize_redirect_variants(page: Page, acu: RunningAcumatica, variant: str) -> None:
    acu.sim.update_settings(authorize_redirect=variant)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(acu.authorize_url())
    expect(page.locator("input[name='ctl00$phUser$txtUser']")).to_be_visible()
    went_via_identity = any("/identity/login?signin=" in url for url in seen)
    assert went_via_identity == (variant == "identity")
    sign_in(page, acu, USER)
    page.get_by_role("button", name="Yes, Allow").click()
    expect(page.get_by_text("Callback received")).to_be_visible()


def open_connected_apps(page: Page, acu: RunningAcumatica) -> Page | FrameLocator:
    """Sign in as admin and reach SM303010 through the menu; the scope holding the form."""
    page.goto(f"{acu.url}/Main")
    sign_in(page, acu, "admin", tenant="Acme Live")
    page.get_by_role("button", name="System").click()
    page.get_by_role("button", name="Integration").click()
    page.get_by_role("link", name="Connected Applications").click()
    form: Page | FrameLocator = (
        page.frame_locator('iframe[name="main"]') if acu.sim.settings.frame else page
    )
    form.get_by_role("button", name="Look up records").click()
    form.get_by_role("link", name="Assignar", exact=True).click()
    expect(form.get_by_role("dialog", name="Connected applications lookup")).to_be_hidden()
    expect(form.get_by_label("Client Name")).to_have_value("Assignar")
    return form


@pytest.mark.parametrize("frame", [True, False])
def test_sm303010_save_sliding_expiration(page: Page, acu: RunningAcumatica, frame: bool) -> None:
    acu.sim.update_settings(frame=frame)
    form = open_connected_apps(page, acu)
    expect(form.get_by_role("heading", name="Refresh Tokens")).to_be_visible()
    expect(form.get_by_label("Absolute Lifetime (Days)")).to_have_value("30.00")
    expect(form.get_by_label("Sliding Lifetime (Days)")).to_be_hidden()
    form.get_by_label("Mode").select_option("Sliding Expiration")
    form.get_by_label("Sliding Lifetime (Days)").fill("15")
    form.get_by_label("Infinite").check()
    expect(form.get_by_label("Absolute Lifetime (Days)")).not_to_be_editable()
    # the form posts and the page (or the frame holding it) loads the answer; reloading before
    # that answer is committed races the navigation ("Not attached to an active page")
    with page.expect_event("framenavigated"):
        form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.reload()
    expect(form.get_by_label("Mode")).to_have_value("Sliding Expiration")
    expect(form.get_by_label("Sliding Lifetime (Days)")).to_have_value("15.00")
    expect(form.get_by_label("Infinite")).to_be_checked()
    refresh = acu.sim.apps[acu.sim.demo_client_id].refresh
    assert (refresh.mode, refresh.sliding_days, refresh.infinite) == (
        "Sliding Expiration",
        15.0,
        True,
    )


def test_sm303010_out_of_range_is_refused(page: Page, acu: RunningAcumatica) -> None:
    form = open_connected_apps(page, acu)
    form.get_by_label("Absolute Lifetime (Days)").fill("61")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("'Absolute Lifetime (Days)' must be between 1 and 60.")).to_be_visible()
    assert acu.sim.apps[acu.sim.demo_client_id].refresh.absolute_days == 30.0


def test_sm303010_unsaved_edits_are_lost(page: Page, acu: RunningAcumatica) -> None:
    form = open_connected_apps(page, acu)
    form.get_by_label("Absolute Lifetime (Days)").fill("45")
    page.goto(f"{acu.url}/Main?ScreenId=SM303010")
    expect(
        page.frame_locator('iframe[name="main"]').get_by_label("Absolute Lifetime (Days)")
    ).to_have_value("30.00")
    assert acu.sim.apps[acu.sim.demo_client_id].refresh.absolute_days == 30.0


def test_sm303010_has_no_refresh_tokens_on_2023_r2(page: Page, acu: RunningAcumatica) -> None:
    acu.sim.update_settings(version="23.200.0151")
    form = open_connected_apps(page, acu)
    expect(form.get_by_label("Flow")).to_have_value("Authorization Code")
    expect(form.get_by_text("Refresh Tokens")).to_have_count(0)


def test_sm303010_needs_sign_in(page: Page, acu: RunningAcumatica) -> None:
    page.goto(f"{acu.url}/Main?ScreenId=SM303010")
    expect(page).to_have_url(re.compile(r"/Frames/Login\.aspx\?ReturnUrl=(%2F|/)Main"))
    sign_in(page, acu, "admin", tenant="Acme Live")
    expect(page).to_have_url(re.compile(r"/Main\?ScreenId=SM303010$"))


def test_base_path(page: Page) -> None:
    running = start_acumatica("/AcumaticaERP")
    try:
        page.goto(running.authorize_url())
        expect(page).to_have_url(
            re.compile(
                r"/AcumaticaERP/Frames/Login\.aspx\?ReturnUrl="
                r"(%2F|/)AcumaticaERP(%2F|/)identity"
            )
        )
        sign_in(page, running, USER)
        page.get_by_role("button", name="Yes, Allow").click()
        expect(page.get_by_text("Callback received")).to_be_visible()
        page.goto(f"{running.url}/Main?ScreenId=SM303010")
        expect(page.frame_locator('iframe[name="main"]').get_by_label("Client ID")).to_be_visible()
        assert "/AcumaticaERP/Pages/SM/SM303010.aspx" in (
            page.locator('iframe[name="main"]').get_attribute("src") or ""
        )
    finally:
        running.stop()
