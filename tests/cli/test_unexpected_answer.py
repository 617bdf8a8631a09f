"""An AWS answer asyncgw cannot read ends the command with one line naming the operation and
field, and exit code 1."""

from __future__ import annotations

import io

from rich.console import Console

from asyncgw.cli import Runtime, run
from asyncgw.rest.gateway import Gateway
from tests.property.botocore_strategies import Answers

API_ID = "abcdefghij"


def _status(answers: dict[str, dict[str, object]]) -> tuple[int, str, str]:
    stub = Answers("apigateway")
    # Given as is, without botocore's check: these are answers its model would refuse.
    stub.answers.update(answers)
    out, err = io.StringIO(), io.StringIO()
    code = run(["status", API_ID], Runtime(
        out=Console(file=out, width=200), err=Console(file=err, width=200),
        interactive=lambda: False, connect=lambda *_: Gateway(stub.client)))
    return code, out.getvalue(), err.getvalue()


def test_a_value_of_the_wrong_type_is_named_in_one_line_with_exit_code_1() -> None:
    code, out, err = _status({
        "GetRestApi": {"id": API_ID, "name": "orders"},
        "GetResources": {"items": [{"id": "r1", "path": "/orders", "resourceMethods": {
            "POST": {"methodIntegration": {"type": "AWS", "timeoutInMillis": "soon"}}}}]},
        "GetRequestValidators": {}, "GetStages": {}})
    assert code == 1
    assert err == ("Error: GetResources returned items[0].resourceMethods.POST.methodIntegration"
                   ".timeoutInMillis = 'soon', which asyncgw cannot read: input should be a valid "
                   "integer, unable to parse string as an integer (re-run with --debug for the "
                   "traceback)\n")
    assert out == ""


def test_an_unknown_integration_type_is_shown_as_not_eligible() -> None:
    code, out, err = _status({
        "GetRestApi": {"id": API_ID, "name": "orders",
                       "endpointConfiguration": {"types": ["REGIONAL"],
                                                 "ipAddressType": "dualstack"}},
        "GetResources": {"items": [{"id": "r1", "path": "/orders", "resourceMethods": {
            "POST": {"httpMethod": "POST", "methodIntegration": {"type": "AWS_STREAM"}}}}]},
        "GetRequestValidators": {}, "GetStages": {}})
    assert (code, err) == (0, "")
    assert "POST /orders: not eligible, unknown integration type AWS_STREAM\n" in out
