"""HTTP APIs are paced like REST APIs: API Gateway's quota, lowered by --max-rps, for v2 calls."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import RouteSpec, SeededHttpApi, seed_http_api

from asyncgw import library
from asyncgw.aws.pacing import Pacer
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.backend import HttpBackend
from asyncgw.http.executor import apply
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.modes import assess
from asyncgw.rest import gateway as rest_gateway
from tests.support.clients import HttpClients, http_clients
from tests.support.clock import FakeTime

ROUTES = (RouteSpec("POST /jobs", function="jobs"), RouteSpec("GET /jobs/{id}", function="jobs"))


@pytest.fixture
def http() -> Iterator[HttpClients]:
    """A fresh emulated account with clients for every service an HTTP API change uses."""
    with emulated_account():
        made = http_clients(clients())
        yield made
        made.detach_all()


@pytest.fixture
def jobs(http: HttpClients) -> SeededHttpApi:
    return seed_http_api(http, "jobs", ROUTES)


def sent(http: HttpClients, clock: FakeTime) -> list[tuple[str, str, float]]:
    """(service, operation, time) of every call as it leaves for the account."""
    calls: list[tuple[str, str, float]] = []
    for client in (http.apigatewayv2, http.lambda_, http.iam, http.sts):
        service = client.meta.service_model.service_name

        def record(model: Any, service: str = service, **_: Any) -> None:
            calls.append((service, model.name, clock.now))

        http.listen(client, "before-call", record)
    return calls


def test_an_http_api_apply_is_paced_to_max_rps_on_apigatewayv2_only(
    http: HttpClients, jobs: SeededHttpApi
) -> None:
    clock = FakeTime()
    # --max-rps 1: a burst of 4, then one call a second.
    paced = Pacer(1, clock=clock.clock, sleep=clock.sleep, headroom=0.0)
    gateway = HttpGateway(http.apigatewayv2, http.lambda_, http.iam, http.sts, pacer=paced)
    calls = sent(http, clock)
    wanted = intent.mode_change(jobs.api_id, Mode.ASYNC, routes=["POST /jobs"])
    snapshot = intent.read(gateway, jobs.api_id, for_change=True)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, sleep=lambda _: None)

    v2 = [at for service, _, at in calls if service == "apigatewayv2"]
    assert len(v2) > 8
    assert v2[:4] == [0.0] * 4
    assert [b - a for a, b in itertools.pairwise(v2[3:])] == pytest.approx([1.0] * (len(v2) - 4))
    # Lambda, IAM and STS calls draw on none of API Gateway's quota: they never waited.
    assert clock.now == pytest.approx(len(v2) - 4)
    assert {service for service, _, _ in calls} == {"apigatewayv2", "lambda", "iam", "sts"}
    routes = intent.read(HttpGateway(http.apigatewayv2, http.lambda_, http.iam, http.sts),
                         jobs.api_id)
    assert {r.route_key: assess(r, routes).mode for r in routes.routes}["POST /jobs"] is Mode.ASYNC


def test_max_rps_reaches_the_http_gateway_the_commands_find(
    http: HttpClients, jobs: SeededHttpApi
) -> None:
    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> rest_gateway.Gateway:
        return rest_gateway.connect(profile, region, endpoint, max_rps=2)

    target = library.find("jobs", library.Account(region="us-east-1", max_rps=2,
                                                  connect=connect))
    assert isinstance(target, HttpBackend)
    # A burst of 8, then one call every half second, in real time: the 9th and 10th calls
    # wait for a token each (less what the first 8 calls took).
    answered = []
    for _ in range(10):
        target.gateway.stage(jobs.api_id, "$default")
        answered.append(time.monotonic())
    assert answered[-1] - answered[7] >= 0.8
    assert target.gateway.pacer is not None and target.gateway.pacer.account.rate == 2


def test_the_rest_lookup_and_the_http_calls_share_one_pacer(
    http: HttpClients, jobs: SeededHttpApi
) -> None:
    made: list[rest_gateway.Gateway] = []

    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> rest_gateway.Gateway:
        made.append(rest_gateway.connect(profile, region, endpoint, max_rps=2))
        return made[-1]

    target = library.find("jobs", library.Account(region="us-east-1", max_rps=2,
                                                  connect=connect))
    assert isinstance(target, HttpBackend)
    assert made and target.gateway.pacer is made[0].pacer
