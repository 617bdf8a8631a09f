"""API Gateway refusing a call while another change to the API is under way: resent, then done."""

from __future__ import annotations

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, seed_wide_api

from asyncgw.aws.calls import Service
from asyncgw.aws.pacing import MAX_WAIT, Pacer
from asyncgw.aws.session import CLIENT_CONFIG
from asyncgw.core.errors import AwsCallFailed
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway, connect
from asyncgw.rest.modes import assess
from tests.support.clock import FakeTime
from tests.support.faults import Refuse

BUSY = ("Unable to complete operation due to concurrent modification. Please try again "
        "later.")  # as quoted in hashicorp/terraform-provider-aws#776


def busy(operation: str, times: int, message: str = BUSY) -> Refuse:
    return Refuse(operation, times, 409, "ConflictException", message=message)


def service(name: str, time: FakeTime, refusal: Refuse) -> Service:
    client = boto3.client(name, region_name="us-east-1", config=CLIENT_CONFIG)
    client.meta.events.register_first(f"before-call.{client.meta.service_model.service_id.hyphenize()}",
                                      refusal)
    return Service(client, Pacer(clock=time.clock, sleep=time.sleep, jitter=lambda: 1.0))


def test_a_create_refused_for_a_concurrent_change_is_sent_again(account: Clients) -> None:
    api = account.apigateway.create_rest_api(name="busy")["id"]
    time, refusal = FakeTime(), busy("CreateRequestValidator", 2)
    gateway = service("apigateway", time, refusal)
    created = gateway.call("CreateRequestValidator", restApiId=api, name="v",
                           validateRequestParameters=True)
    assert refusal.seen == 2
    names = [v["name"] for v in account.apigateway.get_request_validators(restApiId=api)["items"]]
    assert names == ["v"] and created["name"] == "v"  # one validator: the refused ones made none
    assert time.sleeps == pytest.approx([0.5, 1.0])


def test_an_http_api_route_refused_for_a_concurrent_change_is_sent_again(
    account: Clients,
) -> None:
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="busy", ProtocolType="HTTP")["ApiId"]
    time, refusal = FakeTime(), busy("CreateRoute", 1)
    gateway = service("apigatewayv2", time, refusal)
    gateway.call("CreateRoute", ApiId=api, RouteKey="POST /jobs")
    assert refusal.seen == 1
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api)["Items"]] == ["POST /jobs"]


def test_another_conflict_is_a_refusal_and_not_sent_again(account: Clients) -> None:
    api = account.apigateway.create_rest_api(name="busy")["id"]
    time, refusal = FakeTime(), busy("CreateRequestValidator", 1,
                                     "Validator with the same name already exists")
    with pytest.raises(AwsCallFailed, match="already exists"):
        service("apigateway", time, refusal).call("CreateRequestValidator", restApiId=api,
                                                  name="v")
    assert refusal.seen == 1 and time.sleeps == []


def test_an_api_busy_for_longer_than_the_wait_fails_saying_so(account: Clients) -> None:
    api = account.apigateway.create_rest_api(name="busy")["id"]
    time, refusal = FakeTime(), busy("CreateRequestValidator", 1000)
    with pytest.raises(AwsCallFailed, match="still refused for a concurrent change") as raised:
        service("apigateway", time, refusal).call("CreateRequestValidator", restApiId=api,
                                                  name="v")
    assert raised.value.refused  # no attempt took effect: nothing to undo
    assert sum(time.sleeps) <= MAX_WAIT
    assert account.apigateway.get_request_validators(restApiId=api)["items"] == []


def test_an_apply_with_writes_in_flight_rides_out_a_busy_api(account: Clients) -> None:
    seeded = seed_wide_api(account, 8)
    gateway: Gateway = connect(None, "us-east-1", None)
    gateway.in_flight = 4
    refusal = busy("UpdateIntegration", 3)
    gateway.client.meta.events.register_first("before-call.api-gateway", refusal)
    wanted = intent.mode_change(seeded.api_id, Mode.ASYNC, everything=True, stage="prod")
    snapshot = intent.read(gateway, seeded.api_id)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
    assert refusal.seen == 3
    after = intent.read(Gateway(account.apigateway), seeded.api_id)
    assert {assess(method, after).mode for method in after.methods} == {Mode.ASYNC}
