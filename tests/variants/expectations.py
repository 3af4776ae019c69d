"""What each variation must lead to, worked out from the axes alone (the oracle of tests/variants).

A run either passes, or stops with a clear failure naming the page's own words (or the guard's),
and says what it left as it was: `nothing` (no change in Assignar or Acumatica), or `enable` (the
authorization went through at Acumatica's and Assignar's end, but the guard kept the Enable switch
as it was). The order of the checks is the order things happen in the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Untouched = Literal["nothing", "enable", ""]
OLD = "23.200.0151"


@dataclass(frozen=True)
class Expected:
    verdict: Literal["passed", "failed"]
    kind: str = ""  # the failure kind
    words: str = ""  # in the failure message: the page's own words, or the guard's
    untouched: Untouched = ""  # what the stopped run left as it was
    summary: list[str] = field(default_factory=list)  # in the verdict's summary lines


def failed(kind: str, words: str, untouched: Untouched = "nothing") -> Expected:
    return Expected("failed", kind, words, untouched)


def reauthorize(v: Mapping[str, str]) -> Expected:
    """`bot run reauthorize` on the simulators showing variation `v`."""
    if v["overlay"] == "maintenance":
        return failed("overlay", "Assignar is down for scheduled maintenance")
    if v["tenant"] == "suffix":
        return failed("stopped", "Assignar is connected to tenant 'Acme Live Sandbox'")
    if v["fault"] == "save_500":
        return failed("server_error", "the server answered HTTP 500 for POST")
    if v["fault"] == "locked":
        return failed("account_blocked", "Acumatica says: “Your account is locked out.")
    consent_page = v["consent"] == "shown"
    if consent_page and v["fault"] == "other_app":
        return failed("stopped", "Acumatica asks consent for 'Assignar Sandbox'")
    if consent_page and v["scopes"] == "fewer":
        return failed("stopped", "Acumatica granted only 'openid'", "enable")
    if v["fault"] == "other_user":
        return failed("stopped", "Acumatica authorized 'jane.doe'", "enable")
    if v["tenant"] == "renamed":
        return failed("stopped", "Assignar now shows tenant 'Acme Live Sandbox'", "enable")
    return Expected("passed", summary=[_version_line(v)])


def _version_line(v: Mapping[str, str]) -> str:
    if v["version_display"] == "nowhere":
        return "The Acumatica version could not be read"
    if v["version"] == OLD:
        return f"Acumatica {OLD} is older than 2024 R1"
    return f"Acumatica {v['version']} (2024 R1 or newer) detected"


def sliding_expiration(v: Mapping[str, str]) -> Expected:
    """`bot run sliding-expiration` (Acumatica only) on the simulators showing variation `v`."""
    if v["version"] == OLD and v["version_display"] == "sign_in":
        return failed("stopped", f"Acumatica {OLD} is older than 2024 R1")
    if v["version"] == OLD:
        return failed("stopped", "This Acumatica has no Refresh Tokens settings")
    summary = ["Refresh tokens now use Sliding Expiration"]
    if v["version_display"] != "sign_in":
        summary.append("its Refresh Tokens settings show it is 2024 R1 or newer")
    return Expected("passed", summary=summary)
