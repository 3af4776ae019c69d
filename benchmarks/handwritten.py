"""The baseline: the re-authorization written by hand with Playwright, as a person would script it.

    .venv/bin/python benchmarks/handwritten.py SANDBOX_DIR [--client NAME] [--no-screencast]

SANDBOX_DIR is what `bot sim up --write-config DIR` wrote (config.yaml and .env of the client
`sandbox`, or of `client01`… with `--clients N`). The same clicks as `runbooks/reauthorize.yaml`
on the default simulators, with the same locators, in Playwright's sync API: no engine, no
evidence besides a trace with screenshots (unless `--no-screencast`) and DOM snapshots (what
`playwright` itself offers). `benchmarks/compare.py` runs it against `bot run`.
The browser's launch arguments come in BOT_BENCH_LAUNCH (JSON), so both use the same Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from dotenv import dotenv_values
from playwright.sync_api import Browser, Page, expect, sync_playwright


def reauthorize(page: Page, settings: dict[str, str], passwords: dict[str, str]) -> None:
    """The article's steps: Assignar → the Acumatica card → the wizard → Acumatica → back."""
    page.goto(settings["assignar_url"] + "/")
    page.get_by_label("Email").or_(page.get_by_role("navigation")).first.wait_for()
    page.get_by_label("Email").fill(settings["assignar_user"])
    page.get_by_label("Password").fill(passwords["assignar_password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("link", name="Integrations", exact=True).click()
    expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()
    card = page.get_by_role("article", name="Acumatica", exact=True)
    card.get_by_role("link", name="View", exact=True).click()
    expect(page.get_by_role("heading", name="Acumatica", exact=True).first).to_be_visible()
    switch = page.get_by_role("switch", name="Enable", exact=True)
    switch.is_checked()

    page.get_by_role("button", name="Re-Authorize", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Time zone").select_option(label=settings["time_zone"])
    dialog.get_by_label("Time zone").input_value()
    dialog.get_by_role("button", name="Next", exact=True).click()
    emails = ", ".join(settings["notification_emails"])
    dialog.get_by_label("Notification email addresses").fill(emails)
    dialog.get_by_role("button", name="Next", exact=True).click()
    dialog.get_by_role("button", name="More actions").click()
    dialog.get_by_role("menuitem", name="Update", exact=True).click()
    tenant_id = dialog.get_by_label("Tenant ID", exact=True)
    if tenant_id.input_value() != settings["tenant"]:
        raise SystemExit("Assignar is connected to another tenant")
    tenant_id.fill(settings["tenant"])
    instance = settings["acumatica_url"].split("://", 1)[1]
    dialog.get_by_label("Instance URL").fill(instance)
    dialog.get_by_role("button", name="Save", exact=True).click()

    sign_in = page.get_by_role("button", name="Sign In", exact=True)
    sign_in.wait_for(timeout=20_000)
    page.get_by_text(re.compile(r"Build\s+\d+\.\d+")).first.text_content()
    # the sign-in form as the spec gives it (names and ids, no labels), as the runbook finds it
    page.locator("select[name='ctl00$phUser$cmbCompany']").select_option(label=settings["tenant"])
    page.locator("input[name='ctl00$phUser$txtUser']").fill(settings["integration_user"])
    page.locator("input[type=password]").fill(passwords["integration_password"])
    sign_in.click()
    consent = page.get_by_text("is requesting your permission")
    renewed = dialog.get_by_text("Authentication successfully renewed")
    consent.or_(renewed).first.wait_for(timeout=20_000)  # no consent once it was remembered
    if consent.is_visible():
        for scope in ("Access to Web Services API", "Offline Access", "Remember My Decision"):
            page.get_by_label(scope).check()
        page.get_by_role("button", name="Yes, Allow", exact=True).click()
    renewed.wait_for(timeout=20_000)
    dialog.get_by_role("button", name="Finish", exact=True).click()
    if not switch.is_checked():
        switch.click()
    expect(page.get_by_text(re.compile("^Status: Connected"))).to_contain_text("Connected")
    user = page.get_by_text(re.compile("^Authorized user:")).text_content() or ""
    if not user.endswith(settings["integration_user"]):
        raise SystemExit(f"authorized as {user!r}")
    expect(page.get_by_text(re.compile("^Tenant ID:"))).to_contain_text(settings["tenant"])
    expect(switch).to_be_checked()


def load_client(folder: Path, name: str = "sandbox") -> tuple[dict[str, str], dict[str, str]]:
    """The settings and passwords of client `name` in what `bot sim up --write-config` wrote."""
    client = yaml.safe_load((folder / "config.yaml").read_text())["clients"][name]
    env = dotenv_values(folder / ".env")
    passwords = {
        key: str(env[spec["ref"].removeprefix("env:")]) for key, spec in client["secrets"].items()
    }
    return client["settings"], passwords


def one_client(
    browser: Browser, settings: dict[str, str], passwords: dict[str, str], screencast: bool
) -> None:
    """One client in a context of its own, traced (DOM snapshots; screencast frames if asked)."""
    context = browser.new_context()
    context.tracing.start(screenshots=screencast, snapshots=True)
    page = context.new_page()
    reauthorize(page, settings, passwords)
    with tempfile.TemporaryDirectory(prefix="handwritten-") as out:
        context.tracing.stop(path=str(Path(out) / "trace.zip"))
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--client", default="sandbox")
    parser.add_argument("--no-screencast", dest="screencast", action="store_false")
    args = parser.parse_args()
    settings, passwords = load_client(args.folder, args.client)
    launch = json.loads(os.environ.get("BOT_BENCH_LAUNCH", '{"headless": true}'))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch)
        one_client(browser, settings, passwords, args.screencast)
        browser.close()
    print("PASSED handwritten reauthorize")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
