"""A secret's value as the engine carries it: masked in every `str()` and `repr()`, typed only
into the origins it is declared for. Where values come from (references) is the app's business."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

MASK = "••••••"


@dataclass(frozen=True)
class Secret:
    """A resolved secret. `str()` and `repr()` show a mask; only `reveal()` gives the value."""

    name: str
    _value: str = field(repr=False)
    origins: tuple[str, ...] = ()

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({self.name!r}, {MASK})"

    def allows(self, url: str) -> bool:
        """True when `url`'s origin is one this secret may be typed into."""
        return origin_of(url) in self.origins


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
