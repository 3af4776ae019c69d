"""`start_simulators()`: both simulators wired together, one clock, reset, stop, `bot sim up`."""

from __future__ import annotations

import pytest
import requests
from bot_sim import harness
from bot_sim.harness import Simulators, start_simulators

CALLBACK = "/integrations/acumatica/callback"


def test_the_two_are_wired_together(sims: Simulators) -> None:
    assert sims.assignar_url.startswith("http://127.0.0.1:")
    assert sims.acumatica_url.endswith("/AcumaticaERP")
    app = sims.acumatica.snapshot()["connected_apps"][sims.client_id]
    assert app["redirect_uris"] == [sims.assignar_url + CALLBACK]
    assert sims.client_id == "58FCCFBD-0CF3-C047-B720-A631C976A8DD@Acme Live"
    integ = sims.assignar.snapshot()["integration"]
    assert integ["instance_url"] == sims.acumatica_url.removeprefix("http://")
    assert integ["client_id"] == sims.client_id
    assert (integ["tenant"], integ["time_zone"], integ["emails"]) == (
        "Acme Live",
        "Australia/Sydney",
        ["ops@acme.example"],
    )
    assert (integ["status"], integ["enabled"]) == ("Needs re-authorization", True)
    assert sims.clock is sims.assignar.clock is sims.acumatica.clock


def test_credentials_are_the_ones_that_work(sims: Simulators) -> None:
    assert sims.credentials["assignar"]["email"] == "admin@acme.example"
    assert sims.assignar.sign_in("admin@acme.example", sims.credentials["assignar"]["password"])
    for username, password in sims.credentials["acumatica"].items():
        tenant = "Acme Test" if username == "admin" else "Acme Live"
        cookie, error = sims.acumatica.sign_in(username, password, tenant)
        assert cookie, (username, error)
    assert set(sims.credentials["acumatica"]) == {"admin", "assignar.integration", "jane.doe"}


def test_reset_restores_the_seed_and_keeps_ports_and_passwords(sims: Simulators) -> None:
    urls, passwords = (sims.assignar_url, sims.acumatica_url), dict(sims.credentials)
    sims.assignar.update_settings(layout="pencil")
    sims.assignar.set_integration(enabled=False, tenant="Acme Test")
    sims.acumatica.update_settings(consent_remembered=True)
    start = sims.clock.now()
    sims.advance(days=10)
    sims.reset()
    assert (sims.assignar_url, sims.acumatica_url) == urls
    assert sims.credentials == passwords
    assert sims.assignar.settings.layout == "menu"
    assert sims.assignar.integration.tenant == "Acme Live"
    assert sims.assignar.integration.enabled
    assert not sims.acumatica.settings.consent_remembered
    assert sims.clock.now() - start < 60
    assert requests.get(sims.assignar_url + "/signin", timeout=10).status_code == 200


def test_summary_and_repr_hide_passwords_unless_asked(sims: Simulators) -> None:
    secret = sims.credentials["acumatica"]["assignar.integration"]
    assert secret not in sims.summary()
    assert secret not in repr(sims)
    assert secret in sims.summary(show_passwords=True)
    assert sims.assignar_url in sims.summary()
    assert sims.acumatica_url in sims.summary()


def test_options_passwords_version_layout_and_no_test_mode() -> None:
    chosen = {"admin@acme.example": "a-pass", "assignar.integration": "i-pass"}
    with start_simulators(
        passwords=chosen, version="23.200.0151", layout="pencil", test_mode=False
    ) as sims:
        assert sims.credentials["assignar"]["password"] == "a-pass"
        assert sims.credentials["acumatica"]["assignar.integration"] == "i-pass"
        assert sims.acumatica_url.count("/") == 2  # no base path
        assert sims.acumatica.settings.version == "23.200.0151"
        sims.reset()
        assert sims.acumatica.settings.version == "23.200.0151"
        assert sims.assignar.settings.layout == "pencil"
        for url in (sims.assignar_url, sims.acumatica_url):
            assert requests.get(f"{url}/__sim__/state", timeout=10).status_code == 404
        url = sims.assignar_url
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/signin", timeout=2)


def test_main_prints_urls_and_passwords_and_stops_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[Simulators] = []
    real_start = harness.start_simulators

    def start(**kwargs: object) -> Simulators:
        started.append(real_start(**kwargs))  # type: ignore[arg-type]
        return started[-1]

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(harness, "start_simulators", start)
    monkeypatch.setattr(harness, "_wait_forever", ctrl_c)
    assert harness.main(["--base-path", "/AcumaticaERP", "--layout", "pencil"]) == 0
    out = capsys.readouterr().out
    sims = started[0]
    assert sims.assignar_url in out
    assert sims.acumatica_url in out
    assert sims.credentials["acumatica"]["jane.doe"] in out
    assert "Press Ctrl-C to stop." in out
    assert sims.servers == []
