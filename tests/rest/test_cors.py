"""InvocationType in an OPTIONS method's Access-Control-Allow-Headers, as switchable mode needs."""

from __future__ import annotations

import pytest

from asyncgw.core.modes import Mode
from asyncgw.core.selection import MethodPattern
from asyncgw.rest.cors import ALLOW_HEADERS, adjusted
from asyncgw.rest.plan import PatchIntegrationResponse, PatchOp
from asyncgw.rest.planner import plan, restore
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import Integration, IntegrationResponse
from tests.support.rest_builders import method, snapshot, switchable

PATH = f"/responseParameters/{ALLOW_HEADERS}"


@pytest.mark.parametrize(
    ("value", "wanted", "expected"),
    [
        ("'Content-Type,X-Amz-Date'", True, "'Content-Type,X-Amz-Date,InvocationType'"),
        ("''", True, "'InvocationType'"),
        ("'Content-Type,InvocationType'", True, None),
        ("'Content-Type, invocationtype'", True, None),
        ("'*'", True, None),
        ("method.request.header.Access-Control-Request-Headers", True, None),
        ("'Content-Type,InvocationType,Authorization'", False, "'Content-Type,Authorization'"),
        ("'Content-Type'", False, None),
    ],
)
def test_adjusted(value: str, wanted: bool, expected: str | None) -> None:
    assert adjusted(value, wanted) == expected


def preflight(allow: str, key: str = "OPTIONS /orders") -> object:
    return method(key, integration=Integration(type="MOCK", integration_responses={
        "200": IntegrationResponse(status_code="200",
                                   response_parameters={ALLOW_HEADERS: allow})}))


def test_switchable_adds_the_header_to_the_preflight() -> None:
    snap = snapshot([method("POST /orders"), preflight("'Content-Type'")])
    result = plan(snap, select(snap, [MethodPattern.parse("POST /orders")], False),
                  Mode.SWITCHABLE, "prod")
    step = result.steps[-1]
    assert isinstance(step, PatchIntegrationResponse)
    assert (step.http_method, step.path, step.status_code) == ("OPTIONS", "/orders", "200")
    assert step.ops == (PatchOp(op="replace", path=PATH, value="'Content-Type,InvocationType'"),)
    assert step.undo == (PatchOp(op="replace", path=PATH, value="'Content-Type'"),)
    assert "OPTIONS /orders" in result.changed_methods


def test_disable_removes_it_unless_another_method_stays_switchable() -> None:
    allow = "'Content-Type,InvocationType'"
    alone = snapshot([switchable("POST /orders"), preflight(allow)])
    result = plan(alone, select(alone, [MethodPattern.parse("POST /orders")], False),
                  Mode.SYNC, "prod")
    assert any(isinstance(s, PatchIntegrationResponse) for s in result.steps)
    shared = snapshot([switchable("POST /orders"), switchable("PUT /orders"), preflight(allow)])
    result = plan(shared, select(shared, [MethodPattern.parse("POST /orders")], False),
                  Mode.SYNC, "prod")
    assert not any(isinstance(s, PatchIntegrationResponse) for s in result.steps)


def test_a_switchable_method_with_an_outdated_preflight_is_not_already_done() -> None:
    snap = snapshot([switchable("POST /orders"), preflight("'Content-Type'")])
    result = plan(snap, select(snap, [], True), Mode.SWITCHABLE, "prod")
    assert [type(s) for s in result.steps] == [PatchIntegrationResponse]
    assert result.deployment is not None


def test_restore_puts_the_preflight_back() -> None:
    base = snapshot([method("POST /orders"), preflight("'Content-Type'")])
    now = snapshot([method("POST /orders"), preflight("'Content-Type,InvocationType'")])
    (step,) = restore(base, now)
    assert isinstance(step, PatchIntegrationResponse)
    assert step.ops == (PatchOp(op="replace", path=PATH, value="'Content-Type'"),)


def test_a_method_skipped_under_all_leaves_its_preflight_alone() -> None:
    # --respond-202 needs a default integration response: POST /orders has none, so --all
    # skips it, and its path's preflight must not be changed for it.
    snap = snapshot([method("POST /orders"), preflight("'Content-Type'")])
    result = plan(snap, select(snap, [], True), Mode.SWITCHABLE, "prod", respond_202=True)
    assert [n.method for n in result.skipped] == ["OPTIONS /orders", "POST /orders"]
    assert result.steps == ()
    assert result.deployment is None
