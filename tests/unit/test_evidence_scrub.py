"""The scrubber finds every spelling of a secret and keeps traces and files usable."""

from __future__ import annotations

import base64
import gzip
import html
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine.step_context import PRIVATE_LOOK
from bot.evidence import Scrubber, encodings_of

SECRET = 'Ca$h&Carry w/ "Qu0tes" <tag> +é'
MASK = "[secret]"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "spelling"),
    [
        ("plain", SECRET),
        ("url", quote(SECRET, safe="")),
        ("url-plus", quote_plus(SECRET)),
        ("json", json.dumps(SECRET)[1:-1]),
        ("json-utf8", json.dumps(SECRET, ensure_ascii=False)[1:-1]),
        ("html", html.escape(SECRET)),
        ("base64", base64.b64encode(SECRET.encode()).decode()),
    ],
)
def test_each_spelling_is_found_and_masked(kind: str, spelling: str) -> None:
    assert spelling in encodings_of(SECRET), kind
    scrubber = Scrubber([SECRET])
    cleaned = scrubber.text(f"before {spelling} after")
    assert cleaned == f"before {MASK} after"
    assert scrubber.bytes(f"<{spelling}>".encode()) == f"<{MASK}>".encode()


@pytest.mark.parametrize("prefix", ["", "a", "ab", "abc:", "client-id-1:"])
@pytest.mark.parametrize("suffix", ["", "x", ":xy"])
def test_secret_inside_a_longer_base64_value_is_found(prefix: str, suffix: str) -> None:
    """A Basic auth header is base64(client_id:client_secret): any byte alignment is caught."""
    header = "Basic " + base64.b64encode(f"{prefix}{SECRET}{suffix}".encode()).decode()
    scrubber = Scrubber([SECRET])
    assert scrubber.contains(header.encode())
    assert MASK in scrubber.text(header)


def test_a_short_secret_is_scrubbed_all_the_same() -> None:
    """Refusing short secrets is the config's job (`allow_short`); the scrubber masks any."""
    scrubber = Scrubber()
    assert scrubber.add("x~z")
    assert scrubber.text("id x~z and x%7Ez") == f"id {MASK} and {MASK}"
    assert not scrubber.add("")


def test_repr_and_leaks_never_show_the_secret(tmp_path: Path) -> None:
    scrubber = Scrubber([SECRET])
    (tmp_path / "log.txt").write_text(f"password was {SECRET}")
    leaks = scrubber.assert_clean(tmp_path)
    assert len(leaks) == 1
    assert SECRET not in repr(scrubber)
    assert SECRET not in str(leaks[0])
    assert "log.txt" in str(leaks[0])


def test_json_value_rewrites_string_values_only() -> None:
    """A secret that looks like a number or an id leaves numbers, keys and ids alone."""
    secret = "30000"
    record = {
        "type": "before",
        "callId": "call@30000",
        "startTime": 30000,
        "30000": "key",
        "params": {"selector": "#pin", "value": "30000", "timeout": 30000},
    }
    cleaned = Scrubber([secret]).json_value(record)
    assert cleaned == {
        "type": "before",
        "callId": "call@30000",
        "startTime": 30000,
        "30000": "key",
        "params": {"selector": "#pin", "value": MASK, "timeout": 30000},
    }


def test_secret_fields_headers_cookies_and_password_inputs_are_masked_unknown() -> None:
    """Shapes that always hold secrets are masked even when the value was never declared."""
    network = {
        "request": {
            "headers": [
                {"name": "Authorization", "value": "Bearer unknown-token-1"},
                {"name": "Accept", "value": "text/html"},
            ],
            "cookies": [{"name": "lang", "value": "en-AU-unknown"}],
            "postData": {
                "params": [
                    {"name": "ctl00$txtPass", "value": "unknown-pass"},
                    {"name": "username", "value": "integration"},
                ]
            },
        }
    }
    snapshot = ["INPUT", {"__playwright_value_": "typed-unknown", "type": "password"}]
    cleaned = Scrubber().json_value({"snapshot": network, "html": snapshot})
    request = cleaned["snapshot"]["request"]
    assert request["headers"] == [
        {"name": "Authorization", "value": MASK},
        {"name": "Accept", "value": "text/html"},
    ]
    assert request["cookies"][0]["value"] == MASK
    assert request["postData"]["params"] == [
        {"name": "ctl00$txtPass", "value": MASK},
        {"name": "username", "value": "integration"},
    ]
    assert cleaned["html"][1] == {"__playwright_value_": MASK, "type": "password"}


def test_trace_json_lines_keep_their_structure(tmp_path: Path) -> None:
    lines = [
        {
            "type": "before",
            "callId": "c@1",
            "startTime": 1.5,
            "method": "fill",
            "params": {"selector": 'internal:label="Password"i', "value": SECRET},
        },
        {"type": "after", "callId": "c@1", "endTime": 2.25},
        {
            "type": "frame-snapshot",
            "snapshot": {"callId": "c@1", "pageId": "page@1", "html": ["INPUT", {"value": SECRET}]},
        },
    ]
    body = "\n".join(json.dumps(line) for line in lines) + "\n"
    trace = tmp_path / "trace.zip"
    trace.write_bytes(
        zip_bytes(
            {
                "trace.trace": body.encode(),
                "resources/abc.dat": f"password={quote_plus(SECRET)}".encode(),
            }
        )
    )
    scrubber = Scrubber([SECRET])
    outcome = scrubber.trace_zip(trace)
    assert outcome.action == "scrubbed"
    assert outcome.replacements >= 3
    with zipfile.ZipFile(trace) as archive:
        assert archive.namelist() == ["trace.trace", "resources/abc.dat"]
        records = [json.loads(line) for line in archive.read("trace.trace").splitlines()]
        assert archive.read("resources/abc.dat") == f"password={MASK}".encode()
    assert len(records) == 3
    assert records[0]["params"]["value"] == MASK
    assert records[1] == lines[1]  # untouched line, numbers and ids as they were
    assert records[2]["snapshot"]["pageId"] == "page@1"
    assert scrubber.assert_clean(tmp_path) == []


def test_leak_inside_a_deflated_member_is_found(tmp_path: Path) -> None:
    """The final scan looks inside compressed zip members, where raw bytes hide the secret."""
    (tmp_path / "trace.zip").write_bytes(zip_bytes({"trace.network": SECRET.encode() * 20}))
    assert SECRET.encode() not in (tmp_path / "trace.zip").read_bytes()
    leaks = Scrubber([SECRET]).assert_clean(tmp_path)
    assert leaks
    assert all(leak.member == "trace.network" for leak in leaks)


def test_a_zip_without_suffix_is_recognised_by_magic_bytes(tmp_path: Path) -> None:
    attachment = tmp_path / "attachments" / "3f2a9c"  # a trace copied into a report
    attachment.parent.mkdir()
    attachment.write_bytes(zip_bytes({"trace.trace": json.dumps({"value": SECRET}).encode()}))
    scrubber = Scrubber([SECRET])
    [outcome] = scrubber.run_dir(tmp_path)
    assert outcome.path == attachment
    assert outcome.action == "scrubbed"
    with zipfile.ZipFile(attachment) as archive:
        assert json.loads(archive.read("trace.trace")) == {"value": MASK}
    assert scrubber.assert_clean(tmp_path) == []


def test_unscrubbable_files_are_deleted_and_reported(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\0\0" + SECRET.encode() + b"\0\xff"
    (tmp_path / "shot.png").write_bytes(png)
    (tmp_path / "clean.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0nothing here\0")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip " + SECRET.encode())
    (tmp_path / "log.gz").write_bytes(gzip.compress(f"token {SECRET}".encode()))
    (tmp_path / "run.log").write_text(f"typed {SECRET}\n")
    outcomes = {outcome.path.name: outcome for outcome in Scrubber([SECRET]).run_dir(tmp_path)}
    assert {name for name, outcome in outcomes.items() if outcome.action == "deleted"} == {
        "shot.png",
        "broken.zip",
        "log.gz",
    }
    assert "corrupt zip" in outcomes["broken.zip"].reason
    assert outcomes["clean.png"].action == "clean"
    assert outcomes["run.log"].action == "scrubbed"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["clean.png", "run.log"]
    assert (tmp_path / "run.log").read_text() == f"typed {MASK}\n"
    assert Scrubber([SECRET]).assert_clean(tmp_path) == []


def test_binary_zip_member_holding_a_secret_is_dropped(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    trace.write_bytes(
        zip_bytes(
            {
                "trace.trace": b'{"type":"before"}\n',
                "screencast/page-1.jpeg": b"\xff\xd8\xff\xe0\0" + SECRET.encode() + b"\0",
            }
        )
    )
    outcome = Scrubber([SECRET]).trace_zip(trace)
    assert outcome.dropped == ("screencast/page-1.jpeg",)
    with zipfile.ZipFile(trace) as archive:
        assert archive.namelist() == ["trace.trace"]


def test_secret_named_keys_are_masked_but_error_codes_are_not() -> None:
    cleaned = Scrubber().json_value(
        {
            "password": "undeclared-1",
            "code": "E_NOT_FOUND",
            "client_secret": "undeclared-2",
            "status": "passed",
        }
    )
    assert cleaned == {
        "password": MASK,
        "code": "E_NOT_FOUND",
        "client_secret": MASK,
        "status": "passed",
    }


def test_encrypted_or_exotic_zip_is_deleted(tmp_path: Path) -> None:
    archive = bytearray(zip_bytes({"trace.trace": f'{{"value":"{SECRET}"}}'.encode()}))
    central = archive.index(b"PK\x01\x02")
    archive[central + 8] |= 0x01  # "encrypted" in the central directory: unreadable member
    (tmp_path / "trace.zip").write_bytes(bytes(archive))
    [leak] = Scrubber([SECRET]).assert_clean(tmp_path)  # unreadable: cannot be proven clean
    assert leak.spelling.startswith("unreadable")
    [outcome] = Scrubber([SECRET]).run_dir(tmp_path)
    assert outcome.action == "deleted"
    assert not (tmp_path / "trace.zip").exists()


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def shape(value: object) -> object:
    """The value with every string replaced by a placeholder: its structure and non-strings."""
    if isinstance(value, str):
        return str
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return value


@given(value=JSON_VALUES, secret=st.text(alphabet="abcdefgh0123456789", min_size=6, max_size=12))
def test_json_value_keeps_structure_for_any_document(value: object, secret: str) -> None:
    """Whatever the document and the secret: keys, numbers, booleans and nulls stay exactly as
    they were, and the secret is gone from the string that held it."""
    document = {"payload": value, "typed": f"x{secret}y"}
    cleaned = Scrubber([secret]).json_value(document)
    assert shape(cleaned) == shape(document)
    assert secret not in json.dumps(cleaned["typed"])


# -- by structure: form bodies, typed-into fields, XML, the bot's own looks ---------------------


def test_a_form_body_masks_typed_into_and_secret_named_fields_whole() -> None:
    scrubber = Scrubber([SECRET])
    scrubber.mask_field("ctl00$phUser$txtPass")
    body = "user=bob&ctl00%24phUser%24txtPass=whatever-it-became&api_key=unknown1&short=Ca%24h"
    assert scrubber.body(body) == (
        f"user=bob&ctl00%24phUser%24txtPass={MASK}&api_key={MASK}&short={MASK}"
    )  # `short` holds the start of the secret: a field truncated by maxlength


def test_a_json_body_masks_typed_into_keys_whatever_their_value() -> None:
    scrubber = Scrubber([SECRET])
    scrubber.mask_field("pw")
    cleaned = json.loads(scrubber.body('{"pw": "reversed-or-hashed", "user": "bob", "jwt": "j"}'))
    assert cleaned == {"pw": MASK, "user": "bob", "jwt": "j"}


def test_xml_stays_well_formed_whatever_is_masked(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    escaped = html.escape(SECRET)
    path.write_text(
        f'<?xml version="1.0"?><suite name="{escaped}"><case>{escaped} &amp; more</case></suite>',
        encoding="utf-8",
    )
    assert Scrubber([SECRET]).file(path).action == "scrubbed"
    root = ET.parse(path).getroot()
    assert (root.get("name"), root[0].text) == (MASK, f"{MASK} & more")


def test_the_bots_own_look_at_page_texts_is_not_kept_in_a_trace(tmp_path: Path) -> None:
    before = {"type": "before", "callId": "c1", "params": {"expression": f"{PRIVATE_LOOK}x=>x"}}
    after = {"type": "after", "callId": "c1", "result": {"value": ["You typed: Ca"]}}
    other = {"type": "after", "callId": "c2", "result": {"value": "kept"}}
    trace = "\n".join(json.dumps(record) for record in (before, after, other))
    path = tmp_path / "trace.zip"
    path.write_bytes(zip_bytes({"trace.trace": trace.encode()}))
    Scrubber([SECRET]).trace_zip(path)
    with zipfile.ZipFile(path) as archive:
        records = [json.loads(line) for line in archive.read("trace.trace").splitlines()]
    assert "You typed" not in json.dumps(records[1])
    assert records[2]["result"] == {"value": "kept"}


def test_a_short_secret_added_is_scrubbed_and_tokens_under_any_secret_name_are_harvested() -> None:
    from bot.evidence import TrafficSecrets

    scrubber = Scrubber()
    traffic = TrafficSecrets(scrubber)
    traffic.offer_headers({"x-acme-api-key": "header-key-123456", "accept": "text/html-000000"})
    traffic.offer_json({"session": {"sessionId": "sess-id-123456", "apiKey": "api-key-123456"}})
    traffic.offer_json({"jwt": "jwt-value-123456", "keyboard": "layout-123456"})
    text = "header-key-123456 sess-id-123456 api-key-123456 jwt-value-123456 layout-123456"
    assert scrubber.text(text) == f"{MASK} {MASK} {MASK} {MASK} layout-123456"
    assert scrubber.text("text/html-000000") == "text/html-000000"
