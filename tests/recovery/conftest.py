"""One sandbox server behind a KillSwitch for the recovery tests, and the CLI's environment."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from asyncgw_sandbox.server import Server, start

from tests.support.kill_switch import KillSwitch, install


@pytest.fixture(scope="session")
def sandbox() -> Iterator[tuple[Server, KillSwitch]]:
    with start(port=0) as server:
        yield server, install(server)


@pytest.fixture
def env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "NO_COLOR": "1"}
