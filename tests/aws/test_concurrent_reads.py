"""Independent reads go out together, at most in_flight at once, answered as if one by one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, SeededApi, ensure_function
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.aws.session import CLIENT_CONFIG
from asyncgw.aws.together import together
from asyncgw.core.errors import AccessDenied
from asyncgw.http.gateway import HttpGateway
from asyncgw.rest.backend import RestBackend
from asyncgw.rest.functions import Functions
from asyncgw.rest.gateway import Gateway
from tests.support.clients import http_clients
from tests.support.faults import error_response

SLOW = 0.05  # seconds each watched call takes: long enough for the others to start meanwhile


class InFlight:
    """A before-call handler that holds each call for SLOW seconds and counts those at once."""

    def __init__(self, fail: dict[str, float] | None = None) -> None:
        self.now = 0
        self.peak = 0
        self.operations: list[str] = []
        self.fail = fail or {}
        """operation -> seconds after which it is answered AccessDeniedException."""
        self._lock = threading.Lock()

    def __call__(self, model: Any, **_: Any) -> Any:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.operations.append(model.name)
        try:
            time.sleep(self.fail.get(model.name, SLOW))
            if model.name in self.fail:
                return error_response(403, "AccessDeniedException", f"no {model.name}")
            return None
        finally:
            with self._lock:
                self.now -= 1

    def watch(self, client: Any) -> InFlight:
        client.meta.events.register_first("before-call", self)
        return self


def rest_gateway(in_flight: int) -> Gateway:
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                            region_name="us-east-1")
    return Gateway(session.client("apigateway", config=CLIENT_CONFIG), session=session,
                   in_flight=in_flight)


def test_together_keeps_the_order_and_the_limit() -> None:
    running, peak, lock = [0], [0], threading.Lock()

    def read(value: int) -> Callable[[], int]:
        def run() -> int:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(SLOW * (5 - value) / 5)  # the first ones finish last
            with lock:
                running[0] -= 1
            return value
        return run

    assert together([read(n) for n in range(5)], 3) == [0, 1, 2, 3, 4]
    assert peak[0] == 3


def test_together_raises_the_first_failure_in_order_once_all_are_done() -> None:
    finished: list[str] = []

    def slow_failure() -> str:
        time.sleep(SLOW)
        finished.append("slow")
        raise KeyError("first")

    def quick_failure() -> str:
        finished.append("quick")
        raise ValueError("second")

    with pytest.raises(KeyError, match="first"):
        together([lambda: "ok", slow_failure, quick_failure], 4)
    assert sorted(finished) == ["quick", "slow"]


@pytest.mark.parametrize("in_flight", [1, 2, 4])
def test_the_rest_snapshot_reads_go_together_and_read_the_same(
    orders: SeededApi, in_flight: int
) -> None:
    alone = rest_gateway(1)
    expected = alone.read(alone.resolve(orders.api_id))
    gateway = rest_gateway(in_flight)
    api = gateway.resolve(orders.api_id)
    watched = InFlight().watch(gateway.client)
    assert gateway.read(api) == expected
    assert watched.peak == min(in_flight, 3)  # GetResources, GetRequestValidators, GetStages
    assert sorted(watched.operations) == ["GetRequestValidators", "GetResources", "GetStages"]


def test_the_first_failing_read_in_order_is_reported_even_when_a_later_one_fails_first(
    orders: SeededApi,
) -> None:
    gateway = rest_gateway(4)
    api = gateway.resolve(orders.api_id)
    InFlight(fail={"GetRequestValidators": 2 * SLOW, "GetStages": 0.0}).watch(gateway.client)
    with pytest.raises(AccessDenied) as refused:
        gateway.read(api)
    assert refused.value.message.startswith("access denied: IAM refused apigateway:GET on ")
    assert refused.value.message.split(";")[0].endswith("/requestvalidators")


def test_status_exports_the_stages_together_in_stage_order(orders: SeededApi) -> None:
    alone = rest_gateway(1)
    expected = RestBackend(alone, alone.resolve(orders.api_id)).status(None)
    gateway = rest_gateway(4)
    backend = RestBackend(gateway, gateway.resolve(orders.api_id))
    watched = InFlight().watch(gateway.client)
    report = backend.status(None)
    assert report.data == expected.data
    assert [stage["name"] for stage in report.data["stages"]] == ["dev", "prod"]
    assert watched.operations.count("GetExport") == 2  # dev and prod
    assert watched.peak == 3  # the snapshot's three reads; then the two exports together


def test_the_functions_are_read_together(account: Clients) -> None:
    names = [ensure_function(account, f"fn{n}") for n in range(4)]
    client = boto3.client("lambda", region_name="us-east-1", config=CLIENT_CONFIG)
    expected = Functions(client, in_flight=1).read_all([*names, "arn:missing"])
    watched = InFlight().watch(client)
    assert Functions(client, in_flight=3).read_all([*names, "arn:missing"]) == expected
    assert watched.peak == 3


def test_the_http_reads_go_together_and_read_the_same(account: Clients) -> None:
    http = http_clients(account)
    jobs = seed_http_api(http, "jobs", (RouteSpec("POST /jobs", function="jobs"),))
    alone = HttpGateway(http.apigatewayv2, http.lambda_, http.iam, http.sts, in_flight=1)
    api = alone.resolve(jobs.api_id)
    expected = alone.read(api, for_change=True)
    gateway = HttpGateway(http.apigatewayv2, http.lambda_, http.iam, http.sts, in_flight=4)
    watched = InFlight().watch(http.apigatewayv2)
    assert gateway.read(api, for_change=True) == expected
    assert watched.peak == 3  # GetRoutes, GetIntegrations, GetStages
