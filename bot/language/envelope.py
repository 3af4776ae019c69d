"""Fields every step shares, whatever its action."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.errors import FailureKind
from bot.language.durations import Duration

RETRYABLE_BY_DEFAULT = (
    FailureKind.NOT_FOUND,
    FailureKind.TIMEOUT,
    FailureKind.NAVIGATION,
    FailureKind.SERVER_ERROR,
)


class Retry(BaseModel):
    """Try the step again on the listed failure kinds, waiting `backoff` (doubling) in between."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    count: int = Field(1, ge=0, le=10, description="extra attempts after the first")
    backoff: Duration = Field(1.0, description="wait before the first retry; doubles each time")
    on: list[FailureKind] = Field(
        default_factory=lambda: list(RETRYABLE_BY_DEFAULT),
        description="failure kinds that are retried",
    )


class Envelope(BaseModel):
    """`id`, `label`, `when`, `optional`, `timeout` and `retry`, on any step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(None, description="a name for the step, used in reports")
    label: str | None = Field(
        None, description="what the step does, in words, for logs and reports"
    )
    when: str | None = Field(
        None, description='run the step only if this expression is true, e.g. "params.force"'
    )
    optional: bool = Field(
        False, description="the element may be absent: then the step is skipped, not failed"
    )
    timeout: Duration | None = Field(
        None,
        description="how long the step may wait for its element and for the pages it loads "
        "(default: the client's `timeout` and `navigation_timeout`)",
    )
    retry: Retry | None = Field(
        None,
        description="try again on these failure kinds: `{count: 2, backoff: 1s, on: [timeout]}`",
    )

    @property
    def shown_when(self) -> str | None:
        """`when` on one line, for logs and reports: a folded or literal block (`when: >`) keeps
        its line breaks and trailing newline, which mean nothing to the expression."""
        return one_line(self.when) if self.when is not None else None


def one_line(text: str) -> str:
    """`text` with every run of whitespace (line breaks too) as one space, and none at its ends."""
    return " ".join(text.split())


ENVELOPE_FIELDS = frozenset(Envelope.model_fields)
