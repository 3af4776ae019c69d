"""config.yaml: clients, settings and secret references, checked before any run."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import Config, InputError, ValidationFailed, load_config
from bot.app import client_settings, resolve_secrets

ConfigOf = Callable[[str], Config]

CONFIG = """\
    clients:
      acme:
        settings:
          site_url: 127.0.0.1:8000/
          tenant: Acme Live
        secrets:
          pw: {ref: "env:ACME_PW", origins: [site_url]}
      beta:
        settings: {site_url: "http://127.0.0.1:9000"}
    """


def test_unknown_client_suggests_the_closest(config_of: ConfigOf) -> None:
    config = config_of(CONFIG)
    with pytest.raises(InputError) as info:
        config.client("acm")
    assert info.value.message.endswith("config.yaml: unknown client 'acm' — did you mean 'acme'?")
    assert info.value.exit_code == 2
    with pytest.raises(InputError, match=r"unknown client 'zzz' \(valid: acme, beta\)"):
        config.client("zzz")


def test_settings_are_normalised_for_templates(config_of: ConfigOf) -> None:
    config = config_of(CONFIG)
    assert client_settings("acme", config.client("acme")) == {
        "name": "acme",
        "site_url": "http://127.0.0.1:8000",
        "tenant": "Acme Live",
    }


def test_missing_required_settings_are_listed_together(
    config_of: ConfigOf, check_with_client: Callable[[str, Config, str], None]
) -> None:
    config = config_of(CONFIG)
    with pytest.raises(ValidationFailed) as info:
        check_with_client(
            """\
            name: x
            requires: [site_url, integration_user, tenant, client_id]
            steps:
              - goto: "{{ client.site_url }}"
            """,
            config,
            "beta",
        )
    assert [d.headline() for d in info.value.diagnostics] == [
        "runbooks/t.yaml:2: requires: the client lacks the settings: integration_user, tenant, "
        "client_id — add them under the client's `settings:` in the config"
    ]


def test_with_a_client_unknown_settings_and_secrets_are_found(
    config_of: ConfigOf, check_with_client: Callable[[str, Config, str], None]
) -> None:
    config = config_of(CONFIG)
    with pytest.raises(ValidationFailed) as info:
        check_with_client(
            """\
            name: x
            steps:
              - goto: "{{ client.site_ur }}"
              - fill: {label: Password, value: "{{ secret('pwd') }}"}
            """,
            config,
            "acme",
        )
    assert [d.headline() for d in info.value.diagnostics] == [
        "runbooks/t.yaml:3: steps[0].goto.url: the client has no setting 'site_ur' — did you "
        "mean 'site_url'?",
        "runbooks/t.yaml:4: steps[1].fill.value: the client has no secret 'pwd' — did you mean "
        "'pw'? — add it under the client's `secrets:` as a reference",
    ]


@pytest.mark.parametrize(
    "written",
    [
        "pw: {ref: hunter2-Secret, origins: [site_url]}",
        "pw: hunter2-Secret",
    ],
)
def test_a_secret_written_inline_is_rejected_and_not_echoed(
    config_of: ConfigOf, written: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(f"""\
            clients:
              acme:
                settings: {{site_url: "http://127.0.0.1:8000"}}
                secrets:
                  {written}
            """)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.line == 5
    assert diagnostic.where.startswith("clients.acme.secrets.pw")
    assert "hunter2-Secret" not in info.value.message
    if "ref" in written:
        assert "a secret is never written inline" in diagnostic.message


def test_config_errors_are_located_and_collected(config_of: ConfigOf) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            timeout: forever
            clients:
              acme:
                settings:
                  site_url: "ftp://acme.example.com"
                  support_email: nobody
                  time_zone: Mars/Olympus
                colour: red
            """)
    found = [(d.line, d.where) for d in info.value.diagnostics]
    assert (1, "timeout") in found
    assert (8, "clients.acme.colour") in found
    assert (5, "clients.acme.settings.site_url") in found  # at the bad setting's own line
    assert (6, "clients.acme.settings.support_email") in found  # every bad setting, at once
    assert (7, "clients.acme.settings.time_zone") in found
    message = info.value.message
    assert "'ftp://acme.example.com': only http and https URLs are allowed" in message
    assert "'forever' is not a duration" in message


def test_a_setting_written_twice_is_refused(config_of: ConfigOf) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            clients:
              acme:
                settings:
                  tenant: Acme Live
                  tenant: Acme Test
            """)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.line == 5
    assert "the key 'tenant' is written twice in one mapping (first on line 4)" in (
        diagnostic.message
    )
    assert info.value.exit_code == 2


def test_every_setting_written_twice_is_reported_with_the_other_problems(
    config_of: ConfigOf,
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            clients:
              acme:
                settings:
                  tenant: Acme Live
                  tenant: Acme Test
                  user: me
                  user: you
                timout: 5s
            """)
    lines = [d.line for d in info.value.diagnostics]
    assert lines == [5, 7, 8]
    assert "the key 'user' is written twice in one mapping (first on line 6)" in (
        info.value.diagnostics[1].message
    )
    assert "timout" in info.value.diagnostics[2].message


def test_misspelt_config_fields_suggest_the_closest(config_of: ConfigOf) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            timeoutt: 3s
            clients:
              acme:
                setings: {site_url: "http://a.test"}
            """)
    assert [(d.line, d.message) for d in info.value.diagnostics] == [
        (4, "unknown field 'setings' — did you mean 'settings'?"),
        (1, "unknown field 'timeoutt' — did you mean 'timeout'?"),
    ]


def test_unresolvable_env_reference(config_of: ConfigOf, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_PW", raising=False)
    config = config_of(CONFIG)
    acme = config.client("acme")
    with pytest.raises(InputError) as info:
        resolve_secrets(acme, client_settings("acme", acme))
    assert info.value.message == (
        "cannot resolve the client's secrets:\n  secret pw: environment variable ACME_PW is not "
        "set (add it to .env or export it)"
    )


def test_env_reference_resolves_with_its_origin(
    config_of: ConfigOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_PW", "s3cret-value")
    acme = config_of(CONFIG).client("acme")
    secret = resolve_secrets(acme, client_settings("acme", acme))["pw"]
    assert secret.reveal() == "s3cret-value"
    assert secret.origins == ("http://127.0.0.1:8000",)
    assert "s3cret-value" not in f"{secret} {secret!r}"
    assert secret.allows("http://127.0.0.1:8000/login")
    assert not secret.allows("http://127.0.0.1:8001/login")


def test_dotenv_beside_the_config_is_read(
    config_of: ConfigOf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_PW", raising=False)
    (tmp_path / ".env").write_text("ACME_PW=from-dotenv\n", encoding="utf-8")
    config = config_of(CONFIG)
    acme = config.client("acme")
    try:
        settings = client_settings("acme", acme)
        assert resolve_secrets(acme, settings, config.environment())["pw"].reveal() == "from-dotenv"
    finally:
        monkeypatch.delenv("ACME_PW", raising=False)


def test_secret_origin_must_be_a_setting_or_url(
    config_of: ConfigOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_PW", "x")
    config = config_of(CONFIG.replace("origins: [site_url]", "origins: [site_ur]"))
    acme = config.client("acme")
    with pytest.raises(InputError) as info:
        resolve_secrets(acme, client_settings("acme", acme))
    assert (
        "secret pw: origin 'site_ur' is neither a setting holding a URL — did you mean "
        "'site_url'? nor a URL" in info.value.message
    )


def test_a_client_name_that_is_a_path_is_refused_at_its_line(config_of: ConfigOf) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(CONFIG.rstrip(" ") + '      "../../x": {}\n')
    headline = info.value.diagnostics[0].headline()
    assert "config.yaml:10: clients: client name '../../x' may only use a-z, 0-9" in headline


def test_a_short_secret_is_refused_unless_allowed(
    config_of: ConfigOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_PW", "Sh~*'x7")
    config = config_of(CONFIG)
    settings = client_settings("acme", config.client("acme"))
    with pytest.raises(InputError, match=r"only 7 character\(s\).*allow_short: true"):
        resolve_secrets(config.client("acme"), settings)
    allowed = config_of(
        CONFIG.replace("origins: [site_url]}", "origins: [site_url], allow_short: true}")
    )
    secrets = resolve_secrets(allowed.client("acme"), settings)
    assert secrets["pw"].reveal() == "Sh~*'x7"


def test_dotenv_supplies_only_the_variables_secret_references_name(
    config_of: ConfigOf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_PW", raising=False)
    monkeypatch.delenv("NODE_OPTIONS", raising=False)
    (tmp_path / ".env").write_text("ACME_PW=from-dotenv-$HOME\nNODE_OPTIONS=--require=x.js\n")
    config = config_of(CONFIG)
    assert config.environment() == {"ACME_PW": "from-dotenv-$HOME"}  # literal, nothing else
    assert "NODE_OPTIONS" not in os.environ


def test_a_slow_client_has_its_own_element_and_navigation_timeouts(config_of: ConfigOf) -> None:
    config = config_of("""\
        timeout: 8s
        navigation_timeout: 40s
        clients:
          slow: {timeout: 25s, navigation_timeout: 2m, settings: {}}
          half: {navigation_timeout: 90s, settings: {}}
          plain: {settings: {}}
        """)
    assert config.timeouts("slow") == (25.0, 120.0)
    assert config.timeouts("half") == (8.0, 90.0)
    assert config.timeouts("plain") == (8.0, 40.0)
    assert config.timeouts(None) == (8.0, 40.0)


def test_a_client_timeout_that_is_not_a_duration_is_located(config_of: ConfigOf) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            clients:
              slow:
                timeout: slowly
                settings: {}
            """)
    assert "config.yaml:3: clients.slow.timeout: 'slowly' is not a duration" in str(info.value)


@pytest.mark.parametrize(
    ("written", "line", "message"),
    [
        (
            "integration_password: Hunter2Hunter2xyz",
            "clients.acme.secrets.integration_password",
            "a secret is never written in the config: put its value in .env as "
            "ACME_INTEGRATION_PASSWORD=… and write `integration_password: {ref: "
            '"env:ACME_INTEGRATION_PASSWORD", origins: [acumatica_url]}`',
        ),
        (
            'assignar_password: "env:Hunter2Hunter2xyz"',
            "clients.acme.secrets.assignar_password",
            "a secret needs the origins it may be typed into as well as its reference: write "
            '`assignar_password: {ref: "env:ACME_ASSIGNAR_PASSWORD", origins: [assignar_url]}`, '
            "with the reference you wrote as `ref:`",
        ),
        (
            'pw: {ref: "ENV:Hunter2Hunter2xyz", origins: [acumatica_url]}',
            "clients.acme.secrets.pw.ref",
            "write `env:` in lowercase: a secret is a reference: `env:VAR_NAME`",
        ),
    ],
)
def test_a_secret_written_as_text_says_how_to_write_it_without_echoing_it(
    config_of: ConfigOf, written: str, line: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(f"""\
            clients:
              acme:
                settings:
                  assignar_url: https://acme.assignar.com
                  acumatica_url: https://acme.acumatica.com
                secrets:
                  {written}
            """)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.line, diagnostic.where) == (7, line)
    assert message in diagnostic.message
    assert "Hunter2Hunter2xyz" not in info.value.message
    assert "valid dictionary" not in info.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timout: 5s", "timout: unknown field 'timout' — did you mean 'timeout'?"),
        ("runs: {trase: always}", "runs.trase: unknown field 'trase' — did you mean 'trace'?"),
        (
            "browser: {endpoints: [{url: 'ws://h:1', capacty: 2}]}",
            "browser.endpoints[0].capacty: unknown field 'capacty' — did you mean 'capacity'?",
        ),
        (
            "clients: {acme: {setings: {}}}",
            "clients.acme.setings: unknown field 'setings' — did you mean 'settings'?",
        ),
        (
            "clients: {acme: {secrets: {pw: {ref: 'env:PW', orgins: [x]}}}}",
            "clients.acme.secrets.pw.orgins: unknown field 'orgins' — did you mean 'origins'?",
        ),
    ],
)
def test_every_unknown_config_key_names_the_one_meant(
    config_of: ConfigOf, text: str, expected: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(text)
    assert f"config.yaml:1: {expected}" in info.value.message


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "a list"), ("hello\n", "text")])
def test_a_config_that_is_not_a_mapping_says_what_to_write(
    config_of: ConfigOf, text: str, kind: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(text)
    assert "config.yaml:1: the config must be a mapping of its sections (`clients:`" in (
        info.value.message
    )
    assert f"not {kind}" in info.value.message
    assert "`bot init` writes a whole one" in info.value.message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "the file is empty"),
        ("# nothing yet\n", "the file is empty"),
        ("timeout: 5s\n", "it has no clients"),
    ],
)
def test_a_config_without_clients_says_so_when_a_client_is_asked_for(
    config_of: ConfigOf, text: str, said: str
) -> None:
    config = config_of(text)
    with pytest.raises(InputError) as info:
        config.client("demo")
    assert f"config.yaml: unknown client 'demo': {said}. Add your clients under `clients:`" in (
        info.value.message
    )
    assert "run `bot init`" in info.value.message


def test_a_bad_client_name_is_reported_with_the_client_s_other_problems(
    config_of: ConfigOf,
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of("""\
            clients:
              Acme Live:
                settings: [tenant, site_url]
              globex:
                timout: 5s
            """)
    found = sorted((d.line, d.message.split(" (")[0]) for d in info.value.diagnostics)
    assert [line for line, _ in found] == [2, 3, 5]
    assert found[0][1].startswith("client name 'Acme Live' may only use a-z, 0-9")
    assert "settings takes a mapping" in found[1][1]
    assert "timout" in found[2][1]


def test_a_config_not_saved_as_utf8_is_said_without_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes("clients:\n  acme:\n    settings: {tenant: Société}\n".encode("latin-1"))
    with pytest.raises(ValidationFailed) as info:
        load_config(path)
    assert info.value.message.startswith(
        f"{path}:3: the file is not UTF-8 text (byte 0xe9 on line 3): save it as UTF-8"
    )
    assert "Soci" not in info.value.message
