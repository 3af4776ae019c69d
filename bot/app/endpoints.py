"""Browsers elsewhere that fleet runs may use (`browser.endpoints:` in the config)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENDPOINT_SCHEMES = ("ws", "wss", "http", "https")


class BrowserEndpoint(BaseModel):
    """A browser elsewhere that fleet runs may use: a Playwright server (`ws://`, `wss://`) or a
    Chromium's DevTools endpoint (`http://`, `https://`), and how many runs it takes at once."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str
    capacity: int = Field(default=4, ge=1, le=256, description="runs at once in this browser")

    @field_validator("url")
    @classmethod
    def _browser_url(cls, value: str) -> str:
        if urlsplit(value).scheme not in ENDPOINT_SCHEMES or not urlsplit(value).hostname:
            raise ValueError(
                f"'{urlsplit(value).scheme}://…' is not a browser endpoint: use ws://host:port/… "
                "(a Playwright server) or http://host:port (Chromium's DevTools)"
            )
        return value

    @property
    def kind(self) -> Literal["ws", "cdp"]:
        return "ws" if urlsplit(self.url).scheme in ("ws", "wss") else "cdp"

    @property
    def label(self) -> str:
        """scheme://host:port only: a path or query may hold an access token."""
        parts = urlsplit(self.url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}"
