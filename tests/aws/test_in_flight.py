"""--max-in-flight and Account(max_in_flight=...): how many AWS calls a gateway sends at once."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw import library
from asyncgw.core.errors import UsageError
from asyncgw.http import gateway as http_gateway
from asyncgw.http.backend import HttpBackend
from asyncgw.rest import gateway as rest_gateway
from asyncgw.rest.backend import RestBackend
from tests.cli.runner import asyncgw
from tests.support.clients import http_clients


def test_a_connected_gateway_sends_four_calls_at_once_unless_told(account: Clients) -> None:
    assert rest_gateway.connect(None, "us-east-1", None).in_flight == 4
    assert rest_gateway.connect(None, "us-east-1", None, max_in_flight=1).in_flight == 1
    assert http_gateway.connect(None, "us-east-1", None).in_flight == 4
    assert http_gateway.connect(None, "us-east-1", None, max_in_flight=7).in_flight == 7


@pytest.mark.parametrize("wrong", [0, -3])
def test_fewer_than_one_call_in_flight_is_refused(account: Clients, wrong: int) -> None:
    with pytest.raises(UsageError, match="--max-in-flight must be a whole number of at least 1"):
        rest_gateway.connect(None, "us-east-1", None, max_in_flight=wrong)
    with pytest.raises(UsageError, match="--max-in-flight"):
        http_gateway.connect(None, "us-east-1", None, max_in_flight=wrong)
    with pytest.raises(UsageError, match="--max-in-flight"):
        library.Account(region="us-east-1", max_in_flight=wrong).gateway()


def test_the_account_sets_both_gateways_even_an_injected_one(
    account: Clients, orders: SeededApi,
) -> None:
    seed_http_api(http_clients(account), "jobs", (RouteSpec("POST /jobs", function="jobs"),))
    rest = library.find("orders", library.Account(region="us-east-1", max_in_flight=2))
    assert isinstance(rest, RestBackend) and rest.gateway.in_flight == 2
    found = library.find("jobs", library.Account(region="us-east-1", max_in_flight=3))
    assert isinstance(found, HttpBackend) and found.gateway.in_flight == 3
    injected = library.Account(region="us-east-1", max_in_flight=1,
                               connect=lambda *where: rest_gateway.connect(*where))
    assert injected.gateway().in_flight == 1


def test_the_cli_takes_max_in_flight_and_refuses_zero_as_a_usage_error(
    orders: SeededApi,
) -> None:
    assert asyncgw("status", "orders", "--region", "us-east-1", "--max-in-flight", "1").code == 0
    refused = asyncgw("status", "orders", "--region", "us-east-1", "--max-in-flight", "0")
    assert refused.code == 2
    assert "--max-in-flight" in refused.err and "0 is not in the range x>=1" in refused.err
