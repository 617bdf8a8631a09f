"""Fixtures for the HTTP API tests: an emulated account with every client, and a sample API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import RouteSpec, SeededHttpApi, seed_http_api

from asyncgw.http.gateway import HttpGateway
from tests.support.clients import HttpClients, http_clients

JOBS_ROUTES = (
    RouteSpec("POST /jobs", function="jobs", payload="2.0"),
    RouteSpec("GET /jobs/{id}", function="reader", payload="1.0", timeout_ms=5000),
    RouteSpec("DELETE /jobs/{id}", function="jobs", payload="2.0"),
    RouteSpec("ANY /legacy/{proxy+}", kind="http"),
    RouteSpec("POST /queue", kind="sqs"),
    RouteSpec("GET /by-stage", kind="stage-variable"),
    RouteSpec("$default", kind="none"),
)


@pytest.fixture(scope="session")
def reusable_clients() -> HttpClients:
    """Clients made once: building five boto3 clients costs more than most tests."""
    with emulated_account():
        return http_clients(clients())


@pytest.fixture
def http(reusable_clients: HttpClients) -> Iterator[HttpClients]:
    """A fresh emulated account (its stages deploy through the sandbox's apigatewayv2)."""
    with emulated_account():
        try:
            yield reusable_clients
        finally:
            reusable_clients.detach_all()


@pytest.fixture
def gateway(http: HttpClients) -> HttpGateway:
    """asyncgw's HTTP gateway on the account's real boto3 clients."""
    return http.gateway()


@pytest.fixture
def jobs(http: HttpClients) -> SeededHttpApi:
    """The sample 'jobs' HTTP API: three Lambda routes and one of every ineligible kind."""
    return seed_http_api(http, "jobs", JOBS_ROUTES)
