"""How a runbook points at an element: as a person reads the page; `css` as a last resort."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.language.diagnostics import did_you_mean

# the ARIA roles Playwright's get_by_role knows
AriaRole = Literal[
    "alert",
    "alertdialog",
    "application",
    "article",
    "banner",
    "blockquote",
    "button",
    "caption",
    "cell",
    "checkbox",
    "code",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "definition",
    "deletion",
    "dialog",
    "directory",
    "document",
    "emphasis",
    "feed",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "insertion",
    "link",
    "list",
    "listbox",
    "listitem",
    "log",
    "main",
    "marquee",
    "math",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "navigation",
    "none",
    "note",
    "option",
    "paragraph",
    "presentation",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "strong",
    "subscript",
    "superscript",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "term",
    "textbox",
    "time",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treegrid",
    "treeitem",
]
ROLES = frozenset(get_args(AriaRole))
KINDS = ("role", "label", "text", "placeholder", "title", "alt", "testid", "css", "any")
LOCATOR_FIELDS = frozenset({*KINDS, "name", "exact", "nth", "first"})


def role_field(description: str = "ARIA role, e.g. button, link, switch, dialog") -> Any:
    """The `role` field: any string is read (and refused with a suggestion when unknown), and the
    schema offers the ARIA roles to choose from."""
    return Field(None, description=description, json_schema_extra={"enum": sorted(ROLES)})


ALTERNATIVE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Locator(BaseModel):
    """One element on the page: exactly one kind (`role`, `label`, `text`, …, or `name` alone).

    A plain name or text matches as a person reads it: the exact wording first, else the same
    words ignoring case, spaces and punctuation, else containing them. `name` without `role` is
    whatever the action can use with that name (for `click`: a button, link, menu item, tab…).
    Strict: when several elements match equally well, the step fails unless `nth` or `first` says
    which.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str | None = role_field()
    name: str | None = Field(
        None,
        description="accessible name (`/regex/` allowed); without `role`: any element the action "
        "can use with that name",
    )
    label: str | None = Field(
        None,
        description="a field's label (a trailing `*` or `:` ignored), else its placeholder, "
        "else its accessible name",
    )
    text: str | None = Field(None, description="visible text (`/regex/` or `/regex/i` allowed)")
    placeholder: str | None = Field(
        None, description="a field's placeholder, the grey hint inside it (`/regex/` allowed)"
    )
    title: str | None = Field(
        None, description="the tooltip text (`title` attribute), e.g. of an icon button"
    )
    alt: str | None = Field(None, description="an image's alt text")
    testid: str | None = Field(None, description="a data-testid attribute")
    css: str | None = Field(
        None, description="a CSS selector: a last resort, it breaks on redesigns"
    )
    exact: bool = Field(False, description="match the wording exactly (case, spaces, punctuation)")
    nth: int | None = Field(None, description="pick the n-th match (0-based) when several match")
    first: bool = Field(False, description="pick the first match when several match")
    any: list[Locator] | dict[str, Locator] | None = Field(
        None,
        description="alternatives tried in order; the first that is on the page is used. Named "
        "(`{consent: {…}, back: {…}}`), `as:` and `choose:` then hold the name of the one found "
        "(a named alternative may itself be an `any:` list)",
    )

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None) -> str | None:
        if value is None or "{{" in value or value in ROLES:
            return value
        raise ValueError(f"unknown ARIA role '{value}'{did_you_mean(value, ROLES)}")

    @field_validator("any")
    @classmethod
    def _named_alternatives(
        cls, value: list[Locator] | dict[str, Locator] | None
    ) -> list[Locator] | dict[str, Locator] | None:
        if isinstance(value, dict):
            bad = [str(name) for name in value if not ALTERNATIVE_NAME.match(str(name))]
            if bad:
                raise ValueError(
                    f"an alternative's name is a word (letters, digits, _; not starting with a "
                    f"digit): {', '.join(bad)}"
                )
            nested = [name for name, alt in value.items() if isinstance(alt.any, dict)]
            if nested:
                raise ValueError(
                    f"a named alternative may hold an `any:` list, not more names: {nested[0]}"
                )
        elif isinstance(value, list) and any(alt.any is not None for alt in value):
            raise ValueError("an `any:` list holds locators, not further `any:` lists")
        if value is not None and not value:
            raise ValueError("`any:` needs at least one alternative")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Locator:
        kinds = [kind for kind in KINDS if getattr(self, kind) is not None]
        if self.name is not None and self.role is None:
            kinds.append("name")
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            raise ValueError(
                f"a locator needs exactly one of {', '.join(KINDS)} or name (found: {found})"
            )
        if self.nth is not None and self.first:
            raise ValueError("use `nth` or `first`, not both")
        return self

    @property
    def kind(self) -> str | None:
        """Which kind of locator this is (`role`, `label`, …, `name`); None when it has none."""
        if self.role is None and self.name is not None:
            return "name"
        return next((k for k in KINDS if getattr(self, k) is not None), None)

    def alternatives(self) -> list[tuple[str, Locator]]:
        """(name, locator) of each `any:` alternative in the order tried: its name when they are
        named (a named `any:` list gives each of its locators that name), else its index "0",
        "1", …; without `any:`, the locator itself, named "0"."""
        if isinstance(self.any, dict):
            return [(name, sub) for name, alt in self.any.items() for _, sub in alt.alternatives()]
        if self.any is not None:
            return [(str(index), alt) for index, alt in enumerate(self.any)]
        return [("0", self)]

    def describe(self) -> str:
        """Short, human form used in logs: `button "Save"`, `label "Tenant ID"`."""
        if isinstance(self.any, dict):
            return " or ".join(f"{name}: {alt.describe()}" for name, alt in self.any.items())
        if self.any is not None:
            return " or ".join(alt.describe() for alt in self.any)
        kind = self.kind
        if kind is None:  # an action whose locator is optional (press, expect url, …)
            return ""
        if kind == "role":
            core = f'{self.role} "{self.name}"' if self.name else str(self.role)
        elif kind == "name":
            core = f'"{self.name}"'
        else:
            core = f'{kind} "{getattr(self, kind)}"'
        if self.nth is not None:
            core += f" #{self.nth}"
        elif self.first:
            core += " (first)"
        return core
