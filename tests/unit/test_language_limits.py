"""Bounded input in the language itself: YAML size, depth and alias expansion; templates that are
expressions only, bounded in what they build and how long they take; spellings of a secret."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from jinja2.exceptions import SecurityError

from bot import Source
from bot.errors import StepError
from bot.language import parse_yaml, render
from bot.language.source import YamlSyntaxError
from bot.language.spellings import SecretMatcher, spellings
from bot.language.template_limits import time_limit
from bot.language.templating import environment

CONTEXT = {"vars": {"big": "y" * 9000, "x": "abc"}, "client": {"emails": ["a@b.c", "d@e.f"]}}


def yaml_error(text: str) -> YamlSyntaxError:
    with pytest.raises(YamlSyntaxError) as raised:
        parse_yaml(Source("f.yaml", text))
    return raised.value


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    levels = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    error = yaml_error(levels)
    assert (error.line, error.message.split(":")[0]) == (2, "YAML too big")


def test_an_alias_inside_the_node_it_names_is_refused() -> None:
    assert "aliases expand" in yaml_error("a: &a [1, *a]\n").message


def test_deep_nesting_is_refused_where_it_goes_too_deep() -> None:
    error = yaml_error("x: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested more than 64 levels" in error.message


def test_a_huge_document_is_not_read() -> None:
    error = yaml_error("x: 1\n" * 200_000)
    assert (error.line, "at most 524288 are read" in error.message) == (1, True)


def test_ordinary_aliases_still_work() -> None:
    data = parse_yaml(Source("f.yaml", "base: &b {timeout: 5s}\nstep: {<<: *b, click: Save}\n"))
    assert data["step"] == {"timeout": "5s", "click": "Save"}


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{{ 'x' * 10001 }}", "repeating would exceed 10000 characters"),
        ("{{ ('x' * 10000) * 2 }}", "repeating would exceed"),
        ("{{ 'x'|center(999999999) }}", "`center` with a number above 10000"),
        ("{{ 'x'.ljust(999999999) }}", "`ljust` with a number above 10000"),
        ("{{ '{:>999999999}'.format(1) }}", "str.format is not allowed"),
        ("{{ '%999999999d' % 1 }}", "a format width or precision this large"),
        ("{{ ([vars.big] * 5) | join(vars.big) }}", "repeating would exceed"),
        ("{{ vars.big ~ vars.big }}", "joining text with `~` would exceed"),
        ("{{ vars.big }}{{ vars.big }}", "output is longer than 10000 characters"),
        ("{{ vars.x | replace('', vars.big) }}", "replacing would exceed"),
        ("{{ (2 ** 1000) ** 1000 }}", "a power this large"),
        ("{% for a in [1] %}x{% endfor %}", "statements such as {% for %} are not allowed"),
        ("{% set a = 1 %}", "statements such as {% assign %} are not allowed"),
        ("{{ 1 }}" + "y" * 2001, "a template may be at most 2000 characters"),
    ],
)
def test_templates_that_would_hang_or_fill_the_memory_are_refused(template: str, says: str) -> None:
    started = time.perf_counter()
    with pytest.raises(StepError) as raised:
        render(template, CONTEXT, lambda name: None)  # type: ignore[arg-type, return-value]
    assert says in raised.value.message
    assert time.perf_counter() - started < 60  # a hang guard, not a speed test


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ client.emails | join(', ') }}", "a@b.c, d@e.f"),
        ("{{ 'x' * 3 }}-{{ vars.x | upper }}", "xxx-ABC"),
        ("{{ '24.105.0012' | version_at_least('24.100') }}", "True"),
        ("{{ '%05d' % 42 }}", "00042"),
        ("{{ '2026-12-07 00:45 UTC' | days_after(30) }}", "2027-01-06"),
        ("{{ 'Never' | days_after(30) }}", ""),
    ],
)
def test_ordinary_templates_still_render(template: str, expected: str) -> None:
    assert render(template, CONTEXT, lambda name: None) == expected  # type: ignore[arg-type, return-value]


def test_an_evaluation_past_its_time_is_stopped_at_its_next_operation() -> None:
    template = environment().from_string("{{ vars.x | upper }}")
    with time_limit(-1.0), pytest.raises(SecurityError, match="took longer than"):
        template.render(CONTEXT)


def test_spellings_cover_what_browsers_and_servers_write() -> None:
    secret = "Tilde~Star*9Kp 'q\"\\ü"
    found = set(spellings(secret).values())
    assert "Tilde%7EStar*9Kp+%27q%22%5C%C3%BC" in found  # WHATWG form encoding
    assert quote(secret, safe="!~*'()") in found  # encodeURIComponent
    assert quote(quote(secret, safe=""), safe="") in found  # twice
    assert secret.encode().hex() in found
    assert secret.encode().hex().upper() in found
    assert repr(secret)[1:-1] in found
    nfd = spellings("u\u0308-and-more")
    assert "\u00fc-and-more" in nfd.values()  # NFC of an NFD secret


def test_the_matcher_names_the_secret_whatever_the_case() -> None:
    matcher = SecretMatcher({"pw": "Tilde~Star*9Kp"})
    assert matcher.find("x TILDE~STAR*9KP y") == "pw"
    assert matcher.find("pK9*ratS~edliT") == "pw"  # reversed
    assert matcher.search("a=Tilde%7EStar*9Kp") == ("pw", "Tilde%7EStar*9Kp")
    assert matcher.find("Tilde~Sta") is None
    assert matcher.find("pre:tilde~star") == "pw"  # ten characters of it: a page cut it short
