"""How wordings match (`_match`), how dead ends are told (`dead_end_error`), and the simulators'
variation space (`bot_sim.variation`): the pure parts, without a browser."""

from __future__ import annotations

import re
import time

import pytest
from bot_sim.variation import AXES, DEFAULTS, choose, describe, parse_vary
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.explain import dead_end_error
from bot.engine.step_context import DeadEnd
from bot.errors import FailureKind
from bot.steps.matching import loose, tiers
from bot.steps.page_text import SIGNED_OUT, TEXT_DEAD_ENDS, dead_end_said, sentence_saying

CLIENT = {"assignar_url": "http://127.0.0.1:5001", "acumatica_url": "http://127.0.0.1:5002/ERP"}


@pytest.mark.parametrize(
    ("wording", "page", "whole"),
    [
        ("Re-Authorize", "Reauthorize", True),
        ("Re-Authorize", "RE-AUTHORIZE", True),
        ("Tenant ID", "Tenant ID *", True),
        ("Instance URL", "Instance URL:", True),
        ("Sign in", "Sign In", True),
        ("Save", "Save & Close", False),
        ("Time zone", "Timezone", True),
    ],
)
def test_a_wording_matches_ignoring_case_spaces_and_punctuation(
    wording: str, page: str, whole: bool
) -> None:
    assert bool(loose(wording, whole=True).search(page)) is whole
    assert loose(wording, whole=False).search(page)


def test_tiers_go_from_exact_to_containing_and_respect_exact_and_regex() -> None:
    assert [t.how for t in tiers("Save", exact=False)] == [
        "exactly",
        "ignoring case, spaces and punctuation",
        "followed by a keyboard shortcut",
        "containing it, ignoring case and punctuation",
    ]
    assert [t.how for t in tiers("Save", exact=True)] == ["exactly"]
    assert [t.how for t in tiers("/^Sav/i", exact=False)] == ["matching /^Sav/i"]


@pytest.mark.parametrize(
    ("dead", "message"),
    [
        (
            DeadEnd(
                FailureKind.SERVER_ERROR,
                "http://127.0.0.1:5001/save",
                "500 Server Error",
                "the server answered HTTP 500 for POST http://127.0.0.1:5001/save",
            ),
            "the server answered HTTP 500 for POST http://127.0.0.1:5001/save — Assignar says: "
            "“500 Server Error”",
        ),
        (
            DeadEnd(
                FailureKind.OAUTH_ERROR,
                "http://127.0.0.1:5002/ERP/identity/connect/authorize",
                "",
                "error=access_denied (the consent was denied)",
            ),
            "Acumatica refused the authorization: error=access_denied (the consent was denied)",
        ),
        (
            DeadEnd(
                FailureKind.ACCOUNT_BLOCKED,
                "http://127.0.0.1:5002/ERP/Frames/Login.aspx",
                "Your account is locked out.",
            ),
            "Acumatica says: “Your account is locked out.”",
        ),
        (
            DeadEnd(FailureKind.NAVIGATION, "http://x.test/", "", "could not reach http://x.test"),
            "could not reach http://x.test",
        ),
        (
            DeadEnd(
                FailureKind.NAVIGATION,
                "http://127.0.0.1:5002/ERP/Main",
                "",
                "could not reach http://127.0.0.1:5002 (ERR_CONNECTION_REFUSED) for GET /ERP/Main",
            ),
            "could not reach http://127.0.0.1:5002 (ERR_CONNECTION_REFUSED) for GET /ERP/Main; "
            "check the client's setting `acumatica_url` and that the site is up",
        ),
    ],
)
def test_a_dead_end_is_told_with_the_site_and_its_own_words(dead: DeadEnd, message: str) -> None:
    error = dead_end_error(dead, CLIENT)
    assert (error.kind, error.message) == (dead.kind, message)


def test_a_variation_fixes_some_axes_and_draws_the_rest_from_its_seed() -> None:
    assert choose() == dict(DEFAULTS)
    drawn = choose({"casing": "upper"}, seed=7)
    assert drawn["casing"] == "upper"
    assert drawn == choose({"casing": "upper"}, seed=7)  # the same seed, the same draw
    assert all(drawn[name] in axis.values for name, axis in AXES.items())
    assert len({describe(choose(seed=seed)) for seed in range(20)}) > 15


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ({"casng": "upper"}, "unknown axis 'casng' (did you mean 'casing'?)"),
        ({"casing": "uper"}, "axis 'casing' has no value 'uper' (did you mean 'upper'?)"),
    ],
)
def test_an_unknown_axis_or_value_is_named_with_the_closest(
    vary: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        choose(vary)


def test_vary_items_are_axis_equals_value() -> None:
    assert parse_vary(["casing=upper", " dropdown = combobox "]) == {
        "casing": "upper",
        "dropdown": "combobox",
    }
    with pytest.raises(ValueError, match="'casing' is not AXIS=VALUE"):
        parse_vary(["casing"])


# what the dead-end and signed-out checks looked for before `sentence_saying`: the wording and
# the sentence around it in one pattern (slow, below); kept here as the reference for what is said
_OLD_SENTENCE = r"[^.!?\n]*(?:{})[^.!?\n]*[.!?]?"
_WORDS = st.sampled_from(
    ["Your", "account", "user", "is", "was", "locked", "out", "password", "has", "expired",
     "application", "app", "inactive", "session", "timed", "must", "change", "the", "a", "x",
     ".", "!", "?", "\n", " ", "  ", "\t"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_the_sentence_said_is_the_one_the_sentence_pattern_found(words: list[str]) -> None:
    text = " ".join(words)
    patterns = [pattern for _, pattern in TEXT_DEAD_ENDS] + [SIGNED_OUT]
    for pattern in patterns:
        old = re.compile(_OLD_SENTENCE.format(pattern.pattern), re.IGNORECASE).search(text)
        said = sentence_saying(pattern, text)
        assert said == (" ".join(old.group(0).split()) if old else None)


@pytest.mark.parametrize(
    "filler",
    ["account user password app application session ", "word ", "x" * 40 + "\t"],
)
def test_a_long_page_without_full_stops_is_read_in_proportion_to_its_length(filler: str) -> None:
    # a grid, a log or a hostile page: 20,000 characters (what a read takes) in one "sentence".
    # The sentence pattern took 3.9 s at 8,000 characters and about 25 s at 20,000, on every
    # read; read in proportion to its length it takes milliseconds. CPU time, so that a busy
    # machine does not change the verdict, and a bound 100 times what the read takes.
    text = (filler * (20_000 // len(filler) + 1))[:20_000]
    started = time.process_time()
    for _ in range(3):
        assert dead_end_said(text) is None
        assert sentence_saying(SIGNED_OUT, text) is None
    assert time.process_time() - started < 1.0
