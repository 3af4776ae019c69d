"""What a scope of the page offers, as a person reads it: each named element's role and accessible
name (from Playwright's accessibility snapshot), the region it sits in, and the fields' labels and
placeholders. Never a field's value: a value may be a secret, and it names nothing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope
from bot.steps._unrecorded import unrecorded

# `  - button "Save" [disabled]: …` → indent, role, the quoted name; the rest (a field's value,
# a text) is never read
_NODE = re.compile(r'^(\s*)- ([a-z]+)(?: ("(?:[^"\\]|\\.)*"))?')
REGIONS = frozenset(
    {
        "alertdialog",
        "article",
        "banner",
        "complementary",
        "contentinfo",
        "dialog",
        "form",
        "group",
        "listitem",
        "main",
        "menu",
        "navigation",
        "region",
        "row",
        "tabpanel",
    }
)
_UNNAMED_OR_NOISE = frozenset({"document", "generic", "text", "paragraph", "none", "presentation"})
_FIELDS_SCRIPT = """(root) => {
  const out = [];
  for (const el of root.querySelectorAll('input:not([type=hidden]), textarea, select')) {
    if (el.checkVisibility && !el.checkVisibility()) continue;
    const labels = Array.from(el.labels || []).map(l => (l.innerText || '').trim()).filter(Boolean);
    out.push({labels: labels.slice(0, 3), placeholder: el.getAttribute('placeholder') || ''});
    if (out.length >= 200) break;
  }
  return out;
}"""
SNAPSHOT_TIMEOUT_MS = 3_000


@dataclass(frozen=True)
class Seen:
    """One thing a person can point at: `button "Save"` in `dialog "Edit"`, found by `source`."""

    role: str
    name: str
    source: str = "accessible name"  # or "label", "placeholder"
    region: tuple[str, str] | None = None  # (role, name) of the named region around it, if any

    def describe(self) -> str:
        kind = self.role if self.source == "accessible name" else self.source
        return f'{kind} "{self.name}"{in_region(self.region)}'


def in_region(region: tuple[str, str] | None) -> str:
    """` in dialog "Edit"`, or nothing."""
    return f' in {region[0]} "{region[1]}"' if region else ""


# `textbox "Tenant ID" [disabled]: Acme Live` → role, name and states; never the value (a field's
# value may be a secret, and it is not what identifies the element)
_ELEMENT = re.compile(r'^- ([\w-]+)( "(?:[^"\\]|\\.)*")?((?: \[[^\]]*\])*)')


def describe_element(element: PWLocator) -> str:
    """`button "Save"`: the element's role and accessible name, as the accessibility tree says."""
    try:
        with unrecorded():
            snapshot = element.aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return "an element"
    match = _ELEMENT.match(snapshot.strip())
    return "".join(part or "" for part in match.groups()) if match else "an element"


def role_and_name(element: PWLocator) -> tuple[str, str]:
    """The element's role and accessible name ("" when it has none); ("", "") when unreadable."""
    try:
        with unrecorded():
            snapshot = element.aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return "", ""
    match = _ELEMENT.match(snapshot.strip())
    if match is None:
        return "", ""
    return match.group(1), _unquoted(match.group(2).strip()) if match.group(2) else ""


def root_of(scope: Scope) -> PWLocator:
    """The scope as one element: a `within` region itself, else the document of a page or frame."""
    return scope if isinstance(scope, PWLocator) else scope.locator(":root")


def outline(scope: Scope) -> list[Seen]:
    """The named elements in `scope`, in page order, then labels and placeholders that are not
    already some element's name; empty when the page cannot be read."""
    root = root_of(scope)
    try:
        snapshot = root.aria_snapshot(timeout=SNAPSHOT_TIMEOUT_MS)
        fields = root.evaluate(_FIELDS_SCRIPT)
    except PlaywrightError:
        return []
    seen = _from_snapshot(snapshot)
    names = {item.name for item in seen}
    for field in fields if isinstance(fields, list) else []:
        for label in field.get("labels", []):
            if label not in names:
                seen.append(Seen("textbox", label, "label"))
                names.add(label)
        placeholder = field.get("placeholder", "")
        if placeholder and placeholder not in names:
            seen.append(Seen("textbox", placeholder, "placeholder"))
            names.add(placeholder)
    return seen


def _from_snapshot(snapshot: str) -> list[Seen]:
    seen: list[Seen] = []
    regions: list[tuple[int, tuple[str, str]]] = []  # (indent, (role, name)) of those around
    for line in snapshot.splitlines():
        match = _NODE.match(line)
        if match is None:
            continue
        indent, role, quoted = len(match.group(1)), match.group(2), match.group(3)
        while regions and regions[-1][0] >= indent:
            regions.pop()
        name = _unquoted(quoted) if quoted else ""
        if indent == 0:  # the scope itself (the document, or the `within` region)
            continue
        if name and role not in _UNNAMED_OR_NOISE:
            seen.append(Seen(role, name, region=regions[-1][1] if regions else None))
        if role in REGIONS and name:
            regions.append((indent, (role, name)))
    return seen


def _unquoted(quoted: str) -> str:
    try:
        return str(json.loads(quoted))
    except ValueError:
        return quoted[1:-1]
