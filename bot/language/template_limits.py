"""Templates are expressions, and bounded ones: a sandbox in which no operation may build a value
bigger than `MAX_VALUE`, and no evaluation may run longer than `MAX_SECONDS`.

Jinja's immutable sandbox already keeps templates away from Python's internals; this one also
refuses what would hang a run or fill its memory: repeating, padding, joining or formatting text
past the limit, powers of huge numbers, and evaluations that go on (checked at every operator,
call, attribute, item and filter, none of which can itself take long once sizes are bounded).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEMPLATE = 2_000  # characters of one template's text
MAX_VALUE = 10_000  # characters (or items) of any value a template builds, and of its output
MAX_SECONDS = 1.0  # to evaluate one template
# what takes a width or a count that sizes its result
SIZED = frozenset(
    {"center", "ljust", "rjust", "zfill", "indent", "wordwrap", "truncate", "batch", "slice"}
)
_WIDTH = re.compile(r"%[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_deadline: ContextVar[float] = ContextVar("template_deadline", default=float("inf"))


@contextmanager
def time_limit(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Evaluations inside the block stop (SecurityError) once `seconds` have gone by."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _in_time() -> None:
    if time.monotonic() > _deadline.get():
        raise SecurityError(f"the template took longer than {MAX_SECONDS:g}s to evaluate")


def weight(value: Any) -> int:
    """How big a value is: characters of text, items (and their weight) of collections."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool | float) or value is None:
        return 1
    if isinstance(value, int):
        return value.bit_length() // 10 + 1
    if isinstance(value, dict):
        return len(value) + sum(weight(k) + weight(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) + sum(weight(item) for item in value)
    return 1


def bounded(value: Any) -> Any:
    if weight(value) > MAX_VALUE:
        raise SecurityError(f"a template may not build a value of more than {MAX_VALUE} characters")
    return value


def _refuse_big(amount: int, what: str) -> None:
    if amount > MAX_VALUE:
        raise SecurityError(f"{what} would exceed {MAX_VALUE} characters")


def _format_widths(pattern: str) -> None:
    """`'%999999999d' % 1` and `'%*d'`: a printf width or precision past the limit is refused."""
    for match in _WIDTH.finditer(pattern):
        for number in match.groups():
            if number == "*" or (number and int(number) > MAX_VALUE):
                raise SecurityError("a format width or precision this large is not allowed")


def _precheck(name: str, args: tuple[Any, ...]) -> None:
    """Refuse a call that would build something huge before it is made."""
    subject = args[0] if args else None
    numbers = [a for a in args[1:] if isinstance(a, int) and not isinstance(a, bool)]
    if name in SIZED and any(abs(number) > MAX_VALUE for number in numbers):
        raise SecurityError(f"`{name}` with a number above {MAX_VALUE} is not allowed")
    if name == "format":
        _format_widths(str(subject))
    if name == "join" and len(args) >= 2:
        items, separator = (args[0], args[1]) if isinstance(args[0], str) else (args[1], args[0])
        if isinstance(items, list | tuple | set | frozenset | dict):
            _refuse_big(weight(items) + len(items) * len(str(separator)), "joining")
    if name == "replace" and isinstance(subject, str) and len(args) >= 3:
        old, new = str(args[1]), str(args[2])
        count = subject.count(old) if old else len(subject) + 1
        _refuse_big(len(subject) + count * len(new), "replacing")
    if name == "indent" and isinstance(subject, str) and numbers:
        _refuse_big(len(subject) + (subject.count("\n") + 1) * numbers[0], "indenting")
    if name == "expandtabs" and isinstance(subject, str) and numbers:
        _refuse_big(len(subject) + subject.count("\t") * numbers[0], "expanding tabs")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (a Jinja filter) with sizes and time checked around each call."""

    @functools.wraps(function)  # keeps jinja's pass_context/pass_environment marks
    def checked(*args: Any, **kwargs: Any) -> Any:
        _in_time()
        values = tuple(a for a in args if not isinstance(a, Context | EvalContext | Environment))
        _precheck(name, values)
        return bounded(function(*args, **kwargs))

    return checked


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `a ~ b ~ …` joined under the size limit."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every operation bounded in size and time."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"**", "*", "%", "+", "//", "/"})

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        _in_time()
        _refuse_big(sum(len(str(part)) for part in parts), "joining text with `~`")
        return "".join(str(part) for part in parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _in_time()
        if operator == "**" and isinstance(right, int | float) and isinstance(left, int | float):
            bits = abs(int(left)).bit_length() if isinstance(left, int) else 64
            if abs(right) > 1000 or bits * abs(right) > 100_000:
                raise SecurityError("a power this large is not allowed")
        if operator == "*" and any(isinstance(x, str | list | tuple) for x in (left, right)):
            sequence, times = (
                (left, right) if isinstance(left, str | list | tuple) else (right, left)
            )
            if isinstance(times, int):
                _refuse_big(weight(sequence) * max(times, 0), "repeating")
        if operator == "%" and isinstance(left, str):
            _format_widths(left)
        return bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _in_time()
        name = getattr(__obj, "__name__", "")
        if name in ("format", "format_map"):  # `'{:>999999999}'.format(1)`: the filter is bounded
            raise SecurityError("str.format is not allowed in templates: use `~` or `| format`")
        owner = getattr(__obj, "__self__", None)
        _precheck(name, (owner, *args) if owner is not None else args)
        return bounded(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _in_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _in_time()
        return super().getitem(obj, argument)
