"""`start_worlds(N)`: N client worlds at once, each its own simulators, names and passwords."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bot_sim.worlds import Worlds, start_worlds

from bot import sandbox_config


@pytest.fixture(scope="module")
def two() -> Iterator[Worlds]:
    with start_worlds(2) as running:
        yield running


def test_each_world_has_its_own_servers_names_and_passwords(two: Worlds) -> None:
    first, second = two.by_client["client01"], two.by_client["client02"]
    assert (
        len({first.assignar_url, first.acumatica_url, second.assignar_url, second.acumatica_url})
        == 4
    )
    assert first.client_id.endswith("@Client 01 Live")
    assert second.assignar.snapshot()["account"] == "Client 02 Construction"
    assert second.assignar.integration.tenant == "Client 02 Live"
    assert second.assignar.integration.authorized_user == "client02.integration"
    assert first.clock is not second.clock
    own = first.credentials["acumatica"]["client01.integration"]
    assert first.acumatica.sign_in("client01.integration", own, "Client 01 Live")[0]
    # one world's people do not exist in the other, and its password opens nothing there
    assert not second.acumatica.sign_in("client01.integration", own, "Client 02 Live")[0]
    email, password = first.credentials["assignar"].values()
    assert first.assignar.sign_in(email, password)
    assert not second.assignar.sign_in(email, password)


def test_the_worlds_as_config_clients_with_their_own_secret_variables(two: Worlds) -> None:
    config = sandbox_config(two, [])
    assert list(config.clients) == ["client01", "client02"]
    client = config.clients["client02"]
    assert client.settings["integration_user"] == "client02.integration"
    assert client.settings["tenant"] == "Client 02 Live"
    assert client.secrets["integration_password"].ref == "env:CLIENT02_INTEGRATION_PASSWORD"
    assert (
        two.sandbox("client02").env["CLIENT02_INTEGRATION_PASSWORD"]
        == (two.by_client["client02"].credentials["acumatica"]["client02.integration"])
    )


def test_a_reset_puts_back_each_world_s_own_seed(two: Worlds) -> None:
    two.by_client["client02"].assignar.set_integration(authorized_user=None, tenant="Other")
    two.reset()
    integration = two.by_client["client02"].assignar.integration
    assert (integration.authorized_user, integration.tenant) == (
        "client02.integration",
        "Client 02 Live",
    )
