"""Secrets are tainted values: the engine refuses any value that holds one, in any spelling, before
it enters variables, facts, messages, rendered URLs or fills. The refusal names the secret, never
its value, and the value is dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret
from bot.language.spellings import SecretMatcher


@dataclass
class Taint:
    """Which secrets a run knows, and a matcher for every spelling of them."""

    secrets: dict[str, Secret] = field(default_factory=dict)
    _matcher: SecretMatcher | None = field(default=None, repr=False)
    _names: tuple[str, ...] = ()

    def secret_in(self, text: str) -> str | None:
        """The name of a secret some spelling of which `text` holds, else None."""
        matcher = self._current()
        return None if matcher is None else matcher.find(text)

    def replaced(self, text: str, by: Callable[[int], str]) -> str:
        """`text` with every spelling of every secret replaced by `by(its length)`."""
        matcher = self._current()
        return text if matcher is None else matcher.replaced(text, by)

    def _current(self) -> SecretMatcher | None:
        names = tuple(self.secrets)
        if not names:
            return None
        if self._matcher is None or names != self._names:
            values = {name: secret.reveal() for name, secret in self.secrets.items()}
            self._matcher, self._names = SecretMatcher(values), names
        return self._matcher

    def ensure_clean(self, text: str, where: str) -> None:
        """Raise SECRET_REFUSED when `text`, about to become `where`, holds a secret."""
        name = self.secret_in(text)
        if name is not None:
            raise refused(name, where)


def refused(name: str, where: str) -> StepError:
    return StepError(
        FailureKind.SECRET_REFUSED,
        f"refused: a value for {where} holds the secret '{name}' (in some spelling) and was "
        "dropped; a secret is only ever typed by a `fill` step, never kept as data",
    )


def withheld(error: StepError, taint: Taint) -> StepError:
    """`error`, or a SECRET_REFUSED error in its place when its message holds a secret."""
    name = taint.secret_in(error.message)
    if name is None:
        return error
    return StepError(
        FailureKind.SECRET_REFUSED,
        f"the step failed ({error.kind}), and its message held the secret '{name}': "
        "the message was withheld",
    )
