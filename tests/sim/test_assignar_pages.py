"""The Assignar simulator over plain HTTP: sign-in, wizard validation, faults, `/__sim__/`."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import requests
from bot_sim.assignar import AssignarSim, create_app
from bot_sim.assignar.models import instance_base_url
from bot_sim.harness import Simulators

PAGE = "/integrations/acumatica"
WIZARD = PAGE + "/wizard/"


def signed_in(sims: Simulators) -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    response = http.post(
        f"{sims.assignar_url}/signin",
        timeout=10,
        data={
            "email": sims.credentials["assignar"]["email"],
            "password": sims.credentials["assignar"]["password"],
            "next": PAGE,
        },
    )
    assert response.url == sims.assignar_url + PAGE
    return http


def to_edit_step(sims: Simulators, http: requests.Session) -> None:
    for step, data in (
        ("start", {}),
        ("timezone", {"time_zone": "Australia/Sydney"}),
        ("emails", {"emails": "ops@acme.example"}),
        ("edit", {}),
    ):
        http.post(sims.assignar_url + WIZARD + step, data=data, timeout=10)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("assignar.acumatica.com", "https://assignar.acumatica.com"),
        ("https://erp.example.com/Instance1/", "https://erp.example.com/Instance1"),
        ("127.0.0.1:5123/AcumaticaERP", "http://127.0.0.1:5123/AcumaticaERP"),
        ("localhost:8080", "http://localhost:8080"),
        ("http://company.acumatica.com", "http://company.acumatica.com"),
        ("", None),
        ("not a url", None),
        ("ftp://x.example", None),
        ("https://", None),
    ],
)
def test_instance_url_scheme_rules(typed: str, expected: str | None) -> None:
    assert instance_base_url(typed) == expected


def test_pages_need_sign_in_and_bad_passwords_are_recorded(sims: Simulators) -> None:
    response = requests.get(sims.assignar_url + PAGE, timeout=10)
    assert response.url.startswith(f"{sims.assignar_url}/signin?next=")
    bad = requests.post(
        f"{sims.assignar_url}/signin",
        timeout=10,
        data={"email": "admin@acme.example", "password": "nope"},
    )
    assert bad.status_code == 401
    assert "Incorrect email or password." in bad.text
    signed_in(sims)
    attempts = sims.assignar.snapshot()["sign_in_attempts"]
    assert [a["ok"] for a in attempts] == [False, True]


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("timezone", {"time_zone": "Mars/Olympus_Mons"}, "Choose a valid time zone."),
        (
            "emails",
            {"emails": "ops@acme.example, not-an-email"},
            "Not a valid email address: not-an-email",
        ),
        ("emails", {"emails": " , "}, "Enter at least one email address."),
    ],
)
def test_wizard_validates_each_step(
    sims: Simulators, step: str, data: dict[str, str], message: str
) -> None:
    http = signed_in(sims)
    http.post(sims.assignar_url + WIZARD + "start", timeout=10)
    if step == "emails":
        http.post(
            sims.assignar_url + WIZARD + "timezone", timeout=10, data={"time_zone": "Europe/London"}
        )
    page = http.post(sims.assignar_url + WIZARD + step, data=data, timeout=10)
    assert message in page.text
    assert sims.assignar.integration.time_zone == "Australia/Sydney"


def test_invalid_instance_url_is_refused(sims: Simulators) -> None:
    http = signed_in(sims)
    to_edit_step(sims, http)
    page = http.post(
        sims.assignar_url + WIZARD + "save",
        timeout=10,
        data={"tenant_id": "Acme Live", "instance_url": "acme acumatica"},
    )
    assert "Enter a valid Instance URL" in page.text


def test_transient_502_on_save_then_save_again_works(sims: Simulators) -> None:
    http = signed_in(sims)
    to_edit_step(sims, http)
    sims.assignar.add_failure(r"/wizard/save$", status=502, times=1)
    data = {"tenant_id": "Acme Live", "instance_url": sims.assignar.integration.instance_url}
    first = http.post(
        sims.assignar_url + WIZARD + "save", data=data, timeout=10, allow_redirects=False
    )
    assert first.status_code == 502
    again = http.post(
        sims.assignar_url + WIZARD + "save", data=data, timeout=10, allow_redirects=False
    )
    location = again.headers["Location"]
    assert location.startswith(f"{sims.acumatica_url}/identity/connect/authorize?")
    assert "code_challenge_method=S256" in location
    assert "state=" in location


def test_callback_with_a_foreign_state_is_rejected(sims: Simulators) -> None:
    http = signed_in(sims)
    to_edit_step(sims, http)
    page = http.get(f"{sims.assignar_url}{PAGE}/callback?code=abc&state=forged", timeout=10)
    assert "could not be verified" in page.text
    assert sims.assignar.integration.connection == "needs_reauthorization"


def test_enable_switch_persists(sims: Simulators) -> None:
    http = signed_in(sims)
    answer = http.post(f"{sims.assignar_url}{PAGE}/enable", json={"enabled": False}, timeout=10)
    assert answer.json() == {"enabled": False, "status": "Status: Disabled"}
    assert "Status: Disabled" in http.get(sims.assignar_url + PAGE, timeout=10).text


def test_layouts_differ_in_markup_but_not_in_text(sims: Simulators) -> None:
    http = signed_in(sims)
    http.post(sims.assignar_url + WIZARD + "start", timeout=10)
    pages = {}
    for layout in ("menu", "pencil"):
        sims.assignar.update_settings(layout=layout)
        pages[layout] = http.get(sims.assignar_url + PAGE, timeout=10).text
    assert visible_text(pages["menu"]) == visible_text(pages["pencil"])
    assert '<input type="checkbox" role="switch"' in pages["menu"]
    assert re.search(r'<button[^>]*role="switch"[^>]*aria-checked="true"', pages["pencil"])
    assert "<dialog" in pages["menu"]
    assert "<dialog" not in pages["pencil"]
    assert "<nav" in pages["menu"]
    assert "<nav" not in pages["pencil"]


def test_sim_api_controls(sims: Simulators) -> None:
    api = f"{sims.assignar_url}/__sim__"
    assert requests.post(f"{api}/settings", json={"layout": "grid"}, timeout=10).status_code == 400
    assert (
        requests.post(f"{api}/settings", json={"layout": "pencil"}, timeout=10).json()["layout"]
        == "pencil"
    )
    changed = requests.post(
        f"{api}/set_integration", timeout=10, json={"status": "Connected", "tenant": "Acme Test"}
    ).json()
    assert (changed["status"], changed["tenant"]) == ("Connected", "Acme Test")
    faults = requests.post(
        f"{api}/faults",
        timeout=10,
        json={"fail": [{"path_regex": "/integrations$", "status": 503, "times": 2}]},
    ).json()
    assert faults["fail"][0]["status"] == 503
    http = signed_in(sims)
    http.post(sims.assignar_url + WIZARD + "start", timeout=10)
    assert requests.post(f"{api}/expire_session", timeout=10).json() == {"expired": 1}
    page = http.post(sims.assignar_url + WIZARD + "timezone", timeout=10, data={"time_zone": "UTC"})
    assert "Your session has expired. Please sign in again." in page.text
    state = requests.get(f"{api}/state", timeout=10).json()
    assert state["settings"]["layout"] == "pencil"
    assert requests.post(f"{api}/reset", timeout=10).json()["integration"]["tenant"] == "Acme Live"


def test_sim_api_is_absent_outside_test_mode() -> None:
    client = create_app(AssignarSim(test_mode=False)).test_client()
    assert client.get("/__sim__/state").status_code == 404
    assert client.post("/__sim__/reset").status_code == 404
    assert client.get("/signin").status_code == 200
