"""Fixtures shared by the tests that talk to the emulated account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import Clients, SeededApi, clients, seed_orders_api

from asyncgw.rest.gateway import Gateway


@pytest.fixture(autouse=True)
def journal_dir(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's applies journal in a directory of its own, never the user's state directory."""
    directory = tmp_path_factory.mktemp("journals")
    monkeypatch.setenv("ASYNCGW_JOURNAL_DIR", str(directory))
    return directory


@pytest.fixture
def account() -> Iterator[Clients]:
    """A fresh, empty emulated account in us-east-1."""
    with emulated_account():
        yield clients()


@pytest.fixture
def orders(account: Clients) -> SeededApi:
    """The sample 'orders' API, deployed to dev and prod."""
    return seed_orders_api(account)


@pytest.fixture
def gateway(account: Clients) -> Gateway:
    """asyncgw's gateway on the account's API Gateway client (a real boto3 client)."""
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                            region_name="us-east-1")
    return Gateway(account.apigateway, session=session)


@pytest.fixture(scope="session")
def reusable_clients() -> Clients:
    """Clients created once: building boto3 clients costs more than most tests."""
    with emulated_account():
        return clients()


@pytest.fixture
def c(reusable_clients: Clients) -> Iterator[Clients]:
    """Clients for a fresh, empty emulated account."""
    with emulated_account():
        yield reusable_clients


from tests.localstack.fixture import localstack  # noqa: E402  one LocalStack for every folder

__all__ = ["account", "c", "gateway", "journal_dir", "localstack", "orders", "reusable_clients"]
