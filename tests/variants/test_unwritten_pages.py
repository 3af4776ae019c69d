"""The article's runbooks on pages nobody here wrote: the simulators' pages, changed in the browser
as the real ones could plausibly differ (an init script rewrites each document once it is parsed).
Each variant either passes, with the work done, or fails at the failing step in the page's own
words, having changed nothing it should not have."""

from __future__ import annotations

import json
from typing import Any

import pytest
from variants_helpers import INTEGRATION_USER, Variants, describe_run, world

from bot import RunOptions, SandboxBot, SandboxRun

pytestmark = pytest.mark.browser

# `change(doc)` runs in every document of the origin `side` ("assignar" or "acumatica") whose
# path matches `path`, once the document is parsed.
WRAPPER = """
(() => {
  const origin = %(origin)s, path = new RegExp(%(path)s);
  if (location.origin !== origin || !path.test(location.pathname + location.search)) return;
  const change = (doc) => { %(body)s };
  const run = () => change(document);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
"""


@pytest.fixture(scope="module")
def variants(variants: Variants, tmp_path_factory: pytest.TempPathFactory) -> Variants:
    """The session's simulators and browser, with a bot (and run history) of this module's own:
    the facts its runs remember (Sliding Expiration configured…) must not reach other modules'."""
    folder = tmp_path_factory.mktemp("unwritten")
    return Variants(variants.sims, SandboxBot(variants.sims, folder), variants.browser)


def run_changed(
    variants: Variants,
    runbook: str,
    changes: list[tuple[str, str, str]],
    variation: dict[str, str] | None = None,
    keep: bool = False,
    failing: str = "",
) -> tuple[SandboxRun, dict[str, Any]]:
    """`runbook` with each (side, path regex, JS body) applied to the pages it names."""
    if not keep:  # else the test has set the simulators up itself
        variants.sims.vary(variation or {})
    before = world(variants.sims)
    urls = {"assignar": variants.sims.assignar_url, "acumatica": variants.sims.acumatica_url}
    context = variants.browser.new_context()
    try:
        for side, path, body in changes:
            origin = urls[side].split("/", 3)[:3]
            context.add_init_script(
                WRAPPER
                % {"origin": json.dumps("/".join(origin)), "path": json.dumps(path), "body": body}
            )
        if failing:  # the server answers these requests HTTP 500
            context.route(failing, lambda route: route.fulfill(status=500, body="Server error"))
        run = variants.bot.run(runbook, {}, RunOptions(page=context.new_page()))
    finally:
        context.close()
    return run, before


def assert_reauthorized(run: SandboxRun, variants: Variants) -> None:
    assert run.verdict == "passed", describe_run(run)
    integration = world(variants.sims)["integration"]
    assert integration["enabled"] is True
    assert integration["status"] == "Connected"
    assert integration["authorized_user"] == INTEGRATION_USER
    assert integration["tenant"] == "Acme Live"


CARD = "^/integrations/acumatica"


def labels(words: dict[str, str]) -> str:
    """JS: every <label> reading a key of `words` reads its value instead."""
    return (
        f"const words = {json.dumps(words)};"
        "for (const l of doc.querySelectorAll('label')) {"
        "  const said = l.textContent.trim(); if (said in words) l.textContent = words[said]; }"
    )


def test_labels_with_nbsp_and_trailing_colons(variants: Variants) -> None:
    words = {"Tenant ID": "Tenant\u00a0ID:", "Instance URL": "Instance URL:"}
    words |= {"Time zone": "Time\u00a0zone:", "Enable": "Enable:"}
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, labels(words))])
    assert_reauthorized(run, variants)


READ_ONLY_TENANT = "const f = doc.querySelector('input[name=tenant_id]'); if (f) f.readOnly = true;"


def test_a_read_only_tenant_id_already_holding_the_tenant(variants: Variants) -> None:
    """Changing tenants is not self-service: Assignar may well show the Tenant ID read-only."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, READ_ONLY_TENANT)])
    assert_reauthorized(run, variants)


ICON_ONLY_MORE = (
    "const b = doc.querySelector('[data-menu-button]'); if (b) {"
    " b.setAttribute('aria-label', 'More');"
    ' b.innerHTML = \'<svg aria-hidden="true" width="12" height="12"></svg>\'; }'
)


def test_an_icon_only_more_button(variants: Variants) -> None:
    """The article's "… icon" as an icon button named only by aria-label "More"."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, ICON_ONLY_MORE)])
    assert_reauthorized(run, variants)


SAVE_AND_CLOSE = (
    "const save = [...doc.querySelectorAll('dialog button')]"
    ".find((b) => b.textContent.trim() === 'Save'); if (save) {"
    " const other = doc.createElement('button'); other.type = 'submit';"
    " other.setAttribute('form', 'wizard-cancel'); other.textContent = 'Save & Close';"
    " save.before(other); }"
)


def test_save_beside_save_and_close(variants: Variants) -> None:
    """A "Save & Close" that cancels the wizard sits beside Save: Save is the one clicked."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, SAVE_AND_CLOSE)])
    assert_reauthorized(run, variants)


LATE_BUTTONS = (
    "for (const b of doc.querySelectorAll('dialog button')) {"
    " b.disabled = true; setTimeout(() => { b.disabled = false; }, 800); }"
)


def test_buttons_enabled_late(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, LATE_BUTTONS)])
    assert_reauthorized(run, variants)


LATE_PAGE = (
    "const main = doc.querySelector('main') || doc.body;"
    " main.hidden = true; setTimeout(() => { main.hidden = false; }, 1200);"
)


def test_a_card_page_rendered_late(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, LATE_PAGE)])
    assert_reauthorized(run, variants)


TOAST_OVER_ENABLE = (
    "if (doc.querySelector('dialog')) return;"
    " const e = doc.querySelector('#enable-switch'); if (!e) return;"
    " const r = e.getBoundingClientRect(); const t = doc.createElement('div');"
    " t.setAttribute('role', 'status'); t.textContent = 'Integration updated';"
    " t.style.cssText = `position:fixed;left:${r.left - 40}px;top:${r.top - 20}px;"
    "width:300px;height:80px;background:#333;color:#fff;z-index:99`;"
    " doc.body.append(t); setTimeout(() => t.remove(), 1500);"
)


def test_a_toast_over_the_enable_switch(variants: Variants) -> None:
    """After Finish a toast covers the Enable switch for a moment, as toasts do."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD + "$", TOAST_OVER_ENABLE)])
    assert_reauthorized(run, variants)


COOKIE_WALL = (
    "const b = doc.createElement('div'); b.setAttribute('role', 'dialog');"
    " b.setAttribute('aria-label', 'Cookie consent');"
    " b.innerHTML = '<p>We use cookies to improve Assignar.</p><button>Accept all</button>';"
    " b.style.cssText = 'position:fixed;inset:0;background:#fffe;z-index:100';"
    " doc.body.append(b);"
)


def test_a_cookie_wall_is_named_in_its_words(variants: Variants) -> None:
    run, before = run_changed(variants, "reauthorize", [("assignar", "", COOKIE_WALL)])
    assert (run.verdict, run.kind) == ("failed", "overlay"), describe_run(run)
    assert "“We use cookies to improve Assignar. Accept all”" in run.message
    assert world(variants.sims) == before


MFA = (
    "if (doc.querySelector('nav')) { doc.body.innerHTML = '<main><h1>Verify it is you</h1>"
    "<p>Enter the 6-digit code we sent to your phone.</p><label>Code <input></label>"
    "<label><input type=checkbox> Remember this device</label><button>Verify</button></main>'; }"
)


def test_a_second_sign_in_factor_is_named(variants: Variants) -> None:
    """Assignar asks for a code after the password: the run says so in the page's words."""
    run, before = run_changed(variants, "reauthorize", [("assignar", "^/$|^/home", MFA)])
    assert (run.verdict, run.kind) == ("failed", "stopped"), describe_run(run)
    assert 'a second sign-in factor ("Verify it is you")' in run.message
    assert world(variants.sims) == before


WHATS_NEW_MODAL = (
    "const b = doc.createElement('div'); b.setAttribute('role', 'dialog');"
    " b.setAttribute('aria-modal', 'true'); b.setAttribute('aria-label', 'What is new');"
    " b.innerHTML = '<h2>What is new in Assignar</h2><p>Rosters export to PDF.</p>"
    '<button onclick="this.parentNode.remove()">Got it</button>\';'
    " b.style.cssText = 'position:fixed;inset:0;background:#fffe;z-index:100';"
    " doc.body.append(b);"
)


def test_a_whats_new_pop_up_over_the_app_is_named(variants: Variants) -> None:
    run, before = run_changed(variants, "reauthorize", [("assignar", "^/$", WHATS_NEW_MODAL)])
    assert (run.verdict, run.kind) == ("failed", "overlay"), describe_run(run)
    assert "“What is new in Assignar Rosters export to PDF. Got it”" in run.message
    assert world(variants.sims) == before


SESSION_WARNING = (
    "if (!doc.querySelector('dialog')) return; const b = doc.createElement('div');"
    " b.setAttribute('role', 'alertdialog'); b.setAttribute('aria-label', 'Session timeout');"
    " b.innerHTML = '<p>Your session will expire in 2 minutes.</p><button>Stay signed in</button>';"
    " b.style.cssText = 'position:fixed;right:0;top:0;width:250px;background:#fe0;z-index:100';"
    " doc.body.append(b);"
)


def test_a_session_timeout_warning_beside_the_wizard(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, SESSION_WARNING)])
    assert_reauthorized(run, variants)


TOOLBAR = (
    "const save = doc.querySelector('button[value=Save]'); if (!save) return;"
    " save.textContent = ''; save.setAttribute('aria-label', 'Save (Ctrl+S)');"
    " const sc = doc.createElement('button'); sc.type = 'button'; sc.title = 'Save & Close';"
    " sc.setAttribute('aria-label', 'Save & Close (Ctrl+Shift+S)');"
    " sc.onclick = () => { location.href = 'about:blank'; }; save.after(sc);"
)


def test_toolbar_icons_named_with_their_shortcuts(variants: Variants) -> None:
    """SM303010's Save as an icon named "Save (Ctrl+S)", beside "Save & Close (Ctrl+Shift+S)"."""
    run, _ = run_changed(variants, "sliding-expiration", [("acumatica", "SM303010", TOOLBAR)])
    assert run.verdict == "passed", describe_run(run)
    (app,) = world(variants.sims)["apps"].values()
    assert app["refresh"]["mode"] == "Sliding Expiration"


SAVE_REJECTED = (
    "const f = doc.querySelector('#SlidingLifetime'); if (f) { const form = f.form;"
    " form.addEventListener('submit', () => { f.value = '61'; }, true);"
    " form.addEventListener('formdata', (e) => { e.formData.set('SlidingLifetime', '61'); }); }"
    " for (const a of doc.querySelectorAll('[role=alert]')) a.removeAttribute('role');"
)


def test_a_rejected_save_is_named_in_acumatica_words(variants: Variants) -> None:
    """Acumatica refuses the values; its field errors are not marked up as alerts."""
    run, before = run_changed(
        variants, "sliding-expiration", [("acumatica", "SM303010", SAVE_REJECTED)]
    )
    assert (run.verdict, run.kind) == ("failed", "assertion"), describe_run(run)
    assert "Check Acumatica reports no error" in run.output
    assert "record raised at least one error. Please review the errors." in run.message
    assert world(variants.sims)["apps"] == before["apps"]


LOGO_CONSENT = (
    "const h = doc.querySelector('h1'); if (h && /requesting/.test(h.textContent))"
    " h.insertAdjacentHTML('afterbegin', '<img alt=\"Assignar logo\" src=\"data:,\"> ');"
)


def test_a_consent_heading_with_the_application_logo(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("acumatica", "", LOGO_CONSENT)])
    assert_reauthorized(run, variants)


UNNAMED_SWITCH = (
    "const l = doc.querySelector('label[for=enable-switch]'); if (!l) return;"
    " const span = doc.createElement('span'); span.textContent = l.textContent;"
    " l.replaceWith(span); const extra = doc.createElement('p'); extra.innerHTML ="
    " '<label><input type=checkbox id=notify> Enable email notifications</label>';"
    " (doc.querySelector('main') || doc.body).append(extra);"
)


def test_an_unnamed_enable_switch_beside_another_enable_checkbox(variants: Variants) -> None:
    """The switch's only name is the text "Enable" beside it; lower on the card a checkbox reads
    "Enable email notifications". The Enable switch is the one turned on, not the other."""
    variants.sims.vary({})
    variants.sims.assignar.set_integration(enabled=False)
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, UNNAMED_SWITCH)], keep=True)
    assert_reauthorized(run, variants)


TWO_STEP_SIGN_IN = (
    "const pw = doc.querySelector('input[type=password]'); if (!pw) return;"
    " const row = pw.closest('.field') || pw.parentNode; row.style.display = 'none';"
    " const form = pw.form; const button = form.querySelector('button[type=submit], button');"
    " const said = button.textContent; button.textContent = 'Next';"
    " form.addEventListener('submit', (e) => { if (row.style.display !== 'none') return;"
    " e.preventDefault(); setTimeout(() => { row.style.display = '';"
    " button.textContent = said; pw.focus(); }, 300); });"
)


def test_a_sign_in_asking_the_email_first_then_the_password(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("assignar", "^/signin", TWO_STEP_SIGN_IN)])
    assert_reauthorized(run, variants)


NO_DIALOG_ROLE = (
    "for (const d of doc.querySelectorAll('dialog, [role=dialog]')) {"
    " const div = doc.createElement('div'); div.className = 'modal';"
    " div.append(...d.childNodes); d.replaceWith(div); }"
)


def test_a_wizard_not_marked_up_as_a_dialog_is_named(variants: Variants) -> None:
    """Without a dialog role the wizard cannot be told from the card behind it (whose last sync
    may read "Failed"): the run stops at the pop-up, saying what the page shows instead."""
    run, before = run_changed(variants, "reauthorize", [("assignar", CARD, NO_DIALOG_ROLE)])
    assert (run.verdict, run.kind) == ("failed", "not_found"), describe_run(run)
    assert run.message.startswith("no visible element matches dialog"), run.message
    assert 'heading "Re-Authorize Acumatica"' in run.message
    assert world(variants.sims)["integration"]["enabled"] == before["integration"]["enabled"]


DECIMAL_COMMA = (
    "for (const f of doc.querySelectorAll('input[inputmode=decimal]'))"
    " f.value = f.value.replace('.', ',');"
)


def test_numbers_with_a_decimal_comma(variants: Variants) -> None:
    """A user whose locale writes "15,00": saved and verified, then known as already done."""
    changes = [("acumatica", "SM303010", DECIMAL_COMMA)]
    run, _ = run_changed(variants, "sliding-expiration", changes)
    assert run.verdict == "passed", describe_run(run)
    (app,) = world(variants.sims)["apps"].values()
    assert (app["refresh"]["mode"], app["refresh"]["sliding_days"]) == ("Sliding Expiration", 15)
    again, before = run_changed(variants, "sliding-expiration", changes, keep=True)
    assert again.verdict == "passed", describe_run(again)
    assert "Sliding Expiration was already configured" in again.summary_text
    assert world(variants.sims) == before


VERSION_WORDING = (
    "const v = doc.querySelector('#logoVersion div'); if (v) v.textContent ="
    " v.textContent.replace(/Build\\s+/, 'Version ');"
)


def test_a_version_worded_otherwise_is_read_elsewhere(variants: Variants) -> None:
    run, _ = run_changed(variants, "reauthorize", [("acumatica", "Login", VERSION_WORDING)])
    assert_reauthorized(run, variants)
    assert "Acumatica 24.105.0012" in run.summary_text  # read at /entity


COLLAPSED_MENU = (
    "const nav = doc.querySelector('nav'); const list = nav && nav.querySelector('ul');"
    " if (!list) return; list.id = 'nav-list'; list.style.display = 'none';"
    " const b = doc.createElement('button'); b.type = 'button'; b.textContent = '☰';"
    " b.setAttribute('aria-label', 'Open menu'); b.setAttribute('aria-controls', 'nav-list');"
    " b.onclick = () => { list.style.display = ''; }; nav.prepend(b);"
)


def test_a_menu_folded_behind_a_button(variants: Variants) -> None:
    """A narrow screen: the left menu is behind "☰" (Open menu) on every page."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", "", COLLAPSED_MENU)])
    assert_reauthorized(run, variants)


POPUP = "const f = doc.querySelector('form[action$=\"/wizard/save\"]'); if (f) f.target = '_blank';"


def test_a_sign_in_in_a_pop_up_window_is_followed(variants: Variants) -> None:
    """Assignar opens Acumatica's sign-in in a window of its own: the run goes on there, as a
    person's eyes follow the pop-up, and Assignar's answer comes back in that window."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD, POPUP)])
    assert_reauthorized(run, variants)


# window.open, as OAuth pop-ups are opened: the pop-up keeps its `window.opener`
POPUP_WINDOW = (
    "const f = doc.querySelector('form[action$=\"/wizard/save\"]'); if (!f) return;"
    " f.target = 'acumatica-sign-in'; f.addEventListener('submit', () =>"
    " window.open('', 'acumatica-sign-in', 'popup,width=600,height=700'));"
)
POPUP_CLOSES = "if (window.opener) { window.opener.location.reload(); window.close(); }"


def test_a_sign_in_pop_up_that_closes_itself_hands_back_to_the_app(variants: Variants) -> None:
    """The usual OAuth pop-up: once Acumatica answers, it reloads the window that opened it
    and closes; the run is back in Assignar's window, and finishes there."""
    changes = [("assignar", CARD, POPUP_WINDOW), ("assignar", CARD, POPUP_CLOSES)]
    run, _ = run_changed(variants, "reauthorize", changes)
    assert_reauthorized(run, variants)


POPUP_CLOSES_LATER = (
    "if (!window.opener) return;"
    " doc.body.innerHTML = '<p>Signed in to Acumatica. This window closes by itself.</p>';"
    " setTimeout(() => { window.opener.location.reload(); window.close(); }, 3000);"
)


def test_a_pop_up_closing_while_a_step_waits_in_it(variants: Variants) -> None:
    """The pop-up says it closes by itself, and does while the next step looks in it: that step
    goes on in the window that opened it."""
    changes = [("assignar", CARD, POPUP_WINDOW), ("assignar", CARD, POPUP_CLOSES_LATER)]
    run, _ = run_changed(variants, "reauthorize", changes)
    assert_reauthorized(run, variants)


BANNER = (
    "if (doc.querySelector('dialog')) return;"
    " const form = doc.querySelector('form[action$=\"/wizard/start\"]'); if (!form) return;"
    " const banner = doc.createElement('div'); banner.setAttribute('role', 'alert');"
    " banner.innerHTML = 'Acumatica needs to be re-authorized. "
    "<button type=submit form=banner-form>Re-Authorize</button>';"
    " const again = form.cloneNode(false); again.id = 'banner-form'; banner.append(again);"
    " (doc.querySelector('main') || doc.body).prepend(banner);"
)


def test_two_re_authorize_buttons_are_named_not_guessed(variants: Variants) -> None:
    """A banner at the top has its own "Re-Authorize": the run names both, and clicks neither."""
    run, before = run_changed(variants, "reauthorize", [("assignar", CARD, BANNER)])
    assert (run.verdict, run.kind) == ("failed", "ambiguous"), describe_run(run)
    assert run.message.startswith('2 elements match "Re-Authorize" equally well:')
    assert world(variants.sims) == before


CUSTOM_MODE = (
    "const sel = doc.getElementById('RefreshMode'); if (!sel) return;"
    " sel.id = 'RefreshModeValue'; sel.style.display = 'none';"
    " const box = doc.createElement('input'); box.id = 'RefreshMode'; box.readOnly = true;"
    " box.setAttribute('role', 'combobox'); box.setAttribute('aria-expanded', 'false');"
    " box.setAttribute('aria-controls', 'modeList'); box.value = sel.value;"
    " const list = doc.createElement('ul'); list.id = 'modeList';"
    " list.setAttribute('role', 'listbox'); list.hidden = true;"
    " for (const o of sel.options) { const li = doc.createElement('li');"
    " li.setAttribute('role', 'option'); li.textContent = o.text;"
    " li.onclick = () => { sel.value = o.value; box.value = o.text; list.hidden = true;"
    " sel.dispatchEvent(new Event('change', {bubbles: true})); }; list.append(li); }"
    " box.onclick = () => { list.hidden = false; box.setAttribute('aria-expanded', 'true'); };"
    " sel.after(box, list);"
)


def test_a_select_only_combobox_for_the_mode_in_the_frame(variants: Variants) -> None:
    """SM303010's Mode as a read-only input that opens a list, inside iframe[name=main]."""
    run, _ = run_changed(variants, "sliding-expiration", [("acumatica", "SM303010", CUSTOM_MODE)])
    assert run.verdict == "passed", describe_run(run)
    (app,) = world(variants.sims)["apps"].values()
    assert app["refresh"]["mode"] == "Sliding Expiration"


CUSTOM_INFINITE = (
    "const inf = doc.getElementById('Infinite'); if (!inf) return;"
    " const label = doc.querySelector('label[for=Infinite]'); label.id = 'lblInfinite';"
    " label.removeAttribute('for'); inf.style.display = 'none';"
    " const box = doc.createElement('span'); box.setAttribute('role', 'checkbox');"
    " box.setAttribute('aria-labelledby', 'lblInfinite'); box.textContent = '☐';"
    " box.style.cssText = 'display:inline-block;width:16px;height:16px;cursor:pointer';"
    " const show = () => { box.setAttribute('aria-checked', String(inf.checked));"
    " box.textContent = inf.checked ? '☑' : '☐'; }; show();"
    " box.onclick = () => { inf.checked = !inf.checked;"
    " inf.dispatchEvent(new Event('change', {bubbles: true})); show(); };"
    " inf.after(box);"
)


def test_a_custom_infinite_checkbox(variants: Variants) -> None:
    """Infinite as a span with role checkbox and aria-checked: ticked, then read back."""
    changes = [("acumatica", "SM303010", CUSTOM_INFINITE)]
    run, _ = run_changed(variants, "sliding-expiration", changes)
    assert run.verdict == "passed", describe_run(run)
    (app,) = world(variants.sims)["apps"].values()
    assert (app["refresh"]["mode"], app["refresh"]["infinite"]) == ("Sliding Expiration", True)
    again, before = run_changed(variants, "sliding-expiration", changes, keep=True)
    assert "Sliding Expiration was already configured" in again.summary_text, describe_run(again)
    assert world(variants.sims) == before


RENEWED_WORDING = (
    "for (const p of doc.querySelectorAll('[role=status]'))"
    " if (/successfully renewed/i.test(p.textContent))"
    " p.textContent = 'Re-authorization complete.';"
)


@pytest.mark.parametrize("consent", ["shown", "remembered"])
def test_the_renewal_said_in_other_words(variants: Variants, consent: str) -> None:
    """The article says "successfully renewed"; Assignar may say "Re-authorization complete."
    (with the consent remembered, that is also what shows the sign-in went through)."""
    changes = [("assignar", CARD, RENEWED_WORDING)]
    run, _ = run_changed(variants, "reauthorize", changes, {"consent": consent})
    assert_reauthorized(run, variants)


STATUS_WITHOUT_ENABLE = (
    "for (const p of doc.querySelectorAll('[data-status]'))"
    " p.textContent = p.textContent.replace('Disabled', 'Connected');"
)


def test_an_enable_switch_that_could_not_save_itself_is_not_a_pass(variants: Variants) -> None:
    """A slow Assignar refuses to save the switch (HTTP 500), and its Status line speaks of the
    connection only. The run used to pass ("the integration is enabled") with it disabled."""
    variants.sims.vary({"delay": "slow"})
    variants.sims.assignar.set_integration(enabled=False)
    variants.sims.assignar.add_failure(r"/integrations/acumatica/enable$", times=None)
    changes = [("assignar", CARD, STATUS_WITHOUT_ENABLE)]
    run, _ = run_changed(variants, "reauthorize", changes, keep=True)
    assert (run.verdict, run.kind) == ("failed", "assertion"), describe_run(run)
    assert run.message == (
        'switch "Enable" did not stay on; the page says: '
        "“Could not save the Enable setting. Please try again.”"
    )
    assert world(variants.sims)["integration"]["enabled"] is False
    assert "The integration is now DISABLED" in run.summary_text


def closer(words: str, body: str, once: str = "") -> str:
    """JS: a dialog over the whole page reading `body` (HTML); a close control of it removes it
    (and with `once`, keeps it away in this tab: sessionStorage[once])."""
    gone = f"sessionStorage.setItem({json.dumps(once)}, '1');" if once else ""
    return (
        (f"if (sessionStorage.getItem({json.dumps(once)})) return;" if once else "")
        + " const d = doc.createElement('div'); d.setAttribute('role', 'dialog');"
        + f" d.setAttribute('aria-label', {json.dumps(words)}); d.innerHTML = {json.dumps(body)};"
        + " d.style.cssText = 'position:fixed;inset:0;background:#fffe;z-index:100';"
        + " for (const c of d.querySelectorAll('[data-close]')) c.onclick = () => {"
        + f" {gone} d.remove(); }};"
        + " doc.body.append(d);"
    )


PRODUCT_TOUR = closer(
    "Product tour",
    "<h2>Meet the new integration card</h2><p>Step 1 of 4</p>"
    "<button data-close>Skip tour</button><button>Next</button>",
    once="tour",
)


def test_a_product_tour_over_the_card_is_skipped(variants: Variants) -> None:
    """A product tour covers the card: the run closes it with its "Skip tour", never "Next"."""
    run, _ = run_changed(variants, "reauthorize", [("assignar", CARD + "$", PRODUCT_TOUR)])
    assert_reauthorized(run, variants)
    assert "closed “Meet the new integration card" in run.output, describe_run(run)
    assert "with its “Skip tour”" in run.output


COOKIE_BANNER_WITH_CLOSE = closer(
    "Cookie consent",
    "<p>We use cookies to improve Assignar.</p>"
    "<button onclick=\"location.href = 'about:blank#accepted'\">Accept all</button>"
    '<button data-close aria-label="Close">×</button>',
    once="cookies",
)


def test_a_cookie_dialog_is_closed_not_accepted(variants: Variants) -> None:
    """Consent the runbook did not ask for is not given: the dialog's "×" (Close), not "Accept
    all" (which here leaves the app, so a run that pressed it could not pass)."""
    changes = [("assignar", "", COOKIE_BANNER_WITH_CLOSE)]
    run, _ = run_changed(variants, "reauthorize", changes)
    assert_reauthorized(run, variants)
    assert "with its “Close”" in run.output, describe_run(run)


RELEASE_NOTES = closer(
    "What's new in 2024 R2",
    "<h2>What's new in Acumatica ERP 2024 R2</h2><p>Modern UI for more forms.</p>"
    '<button data-close title="Close">✕</button>',
    once="release-notes",
)


def test_release_notes_over_the_framed_screen_are_closed(variants: Variants) -> None:
    """Acumatica shows its release notes after sign-in, over the screen in its frame: closed
    with their ✕ (titled "Close"), and the work done."""
    changes = [("acumatica", "^[^?]*/Main($|[?])", RELEASE_NOTES)]
    run, _ = run_changed(variants, "sliding-expiration", changes, {"frame": "framed"})
    assert run.verdict == "passed", describe_run(run)
    (app,) = world(variants.sims)["apps"].values()
    assert (app["refresh"]["mode"], app["refresh"]["infinite"]) == ("Sliding Expiration", True)
    assert "closed “What's new in Acumatica ERP 2024 R2" in run.output


SESSION_MODAL = closer(
    "Session timeout",
    "<p>Your session is about to expire.</p><button>Stay signed in</button> "
    "<button onclick=\"location.href = '/signout'\">Sign out</button>",
)


def test_a_session_warning_over_the_card_is_named_not_answered(variants: Variants) -> None:
    """A session warning over the whole card offers only answers ("Stay signed in", "Sign
    out"), none that just closes it: the run names it, having pressed neither."""
    run, before = run_changed(variants, "reauthorize", [("assignar", CARD + "$", SESSION_MODAL)])
    assert (run.verdict, run.kind) == ("failed", "overlay"), describe_run(run)
    assert "“Your session is about to expire. Stay signed in Sign out”" in run.message
    assert world(variants.sims) == before


STUCK_NOTICE = (
    "const d = doc.createElement('div'); d.setAttribute('role', 'dialog');"
    " d.innerHTML = '<p>Scheduled maintenance tonight.</p><button>Close</button>';"
    " d.style.cssText = 'position:fixed;inset:0;background:#fffe;z-index:100';"
    " doc.body.append(d);"
)


def test_a_notice_whose_close_does_not_close_it_is_named(variants: Variants) -> None:
    run, before = run_changed(variants, "reauthorize", [("assignar", CARD + "$", STUCK_NOTICE)])
    assert (run.verdict, run.kind) == ("failed", "overlay"), describe_run(run)
    assert "“Scheduled maintenance tonight. Close”" in run.message
    assert world(variants.sims) == before


RELEASE_NOTES_GOT_IT = closer(
    "What's new in 2024 R2",
    "<h2>What's new in Acumatica ERP 2024 R2</h2><p>Modern UI for more forms.</p>"
    "<button data-close>Got it</button>",
)


def test_release_notes_with_only_got_it_over_the_framed_screen_are_named(
    variants: Variants,
) -> None:
    """The same notes closing only with "Got it" (an answer, not a close): the first step that
    must use the screen in its frame names them, instead of running out of time."""
    changes = [("acumatica", "^[^?]*/Main($|[?])", RELEASE_NOTES_GOT_IT)]
    run, before = run_changed(variants, "sliding-expiration", changes, {"frame": "framed"})
    assert (run.verdict, run.kind) == ("failed", "overlay"), describe_run(run)
    assert "“What's new in Acumatica ERP 2024 R2 Modern UI for more forms. Got it”" in run.message
    assert world(variants.sims)["apps"] == before["apps"]


MOVED_CARD = (
    "for (const a of doc.querySelectorAll('a[href$=\"/integrations/acumatica\"]'))"
    " a.setAttribute('href', a.getAttribute('href') + '-classic');"
)


def test_a_link_to_a_page_that_is_gone_fails_that_click(variants: Variants) -> None:
    """The card's link leads to an address with no page behind it (HTTP 404): the click that
    went there fails, naming the address and the client's setting; nothing was changed."""
    run, before = run_changed(
        variants, "reauthorize", [("assignar", "^/integrations$", MOVED_CARD)]
    )
    assert (run.verdict, run.kind) == ("failed", "not_found"), describe_run(run)
    assert "the server answered HTTP 404 for GET " in run.message
    assert "/integrations/acumatica-classic" in run.message
    assert "there is no page at this address; check the client's setting `assignar_url`" in (
        run.message
    )
    assert world(variants.sims) == before


def test_status_where_the_endpoint_list_is_missing_goes_on(variants: Variants) -> None:
    """`<base>/entity` answers 404 on this Acumatica: the optional probe is skipped, saying so,
    and the 404 page is a dead end for the probe only: the steps after it (Tools → About, which
    needs a sign-in that `status` does not make) go on, and the verdict says the version is
    unknown."""
    run, before = run_changed(variants, "status", [], {"version_display": "about"})
    assert run.verdict == "passed", describe_run(run)
    assert "optional: the server answered HTTP 404 for GET " in run.output
    assert "/entity (“" in run.output
    assert "Acumatica's version could not be read" in run.summary_text, describe_run(run)
    assert world(variants.sims) == before
