"""LocalStack's answers to every REST read asyncgw makes are read: status lists the methods of
an API with Lambda, mock and unknown-to-it integrations, and what each stage serves."""

from __future__ import annotations

import io
import json

import boto3
from rich.console import Console

from asyncgw.cli import Runtime, run
from asyncgw.rest.gateway import Gateway
from tests.localstack.runtime import LocalStack

FUNCTION = "arn:aws:lambda:eu-west-3:000000000000:function:orders"


def test_status_reads_an_api_as_localstack_returns_it(localstack: LocalStack) -> None:
    # A region of its own: other tests of the session's LocalStack expect us-east-1 empty.
    session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test",
                            region_name="eu-west-3")
    client = session.client("apigateway", endpoint_url=localstack.endpoint_url)
    api = client.create_rest_api(name="reads", endpointConfiguration={"types": ["REGIONAL"]})
    root = client.get_resources(restApiId=api["id"])["items"][0]["id"]
    orders = client.create_resource(restApiId=api["id"], parentId=root, pathPart="orders")["id"]
    for verb, integration in (
        ("POST", {"type": "AWS", "integrationHttpMethod": "POST", "uri":
                  f"arn:aws:apigateway:eu-west-3:lambda:path/2015-03-31/functions/{FUNCTION}"
                  "/invocations", "timeoutInMillis": 29000}),
        ("GET", {"type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}}),
    ):
        client.put_method(restApiId=api["id"], resourceId=orders, httpMethod=verb,
                          authorizationType="NONE",
                          requestParameters={"method.request.header.InvocationType": False})
        client.put_integration(restApiId=api["id"], resourceId=orders, httpMethod=verb,
                               **integration)
        client.put_method_response(restApiId=api["id"], resourceId=orders, httpMethod=verb,
                                   statusCode="200",
                                   responseParameters={"method.response.header.X-Id": False})
        client.put_integration_response(restApiId=api["id"], resourceId=orders,
                                        httpMethod=verb, statusCode="200",
                                        responseTemplates={"application/json": ""})
    client.create_request_validator(restApiId=api["id"], name="params",
                                    validateRequestParameters=True)
    client.create_deployment(restApiId=api["id"], stageName="prod")
    out, err = io.StringIO(), io.StringIO()
    code = run(["status", api["id"], "--output", "json"], Runtime(
        out=Console(file=out, width=200), err=Console(file=err, width=200),
        interactive=lambda: False,
        connect=lambda *_: Gateway(client, session=session,
                                   endpoint_url=localstack.endpoint_url)))
    assert (code, err.getvalue()) == (0, "")
    report = json.loads(out.getvalue())
    modes = {f"{m['httpMethod']} {m['path']}": (m["mode"], m["deployed"])
             for m in report["methods"]}
    assert modes == {"GET /orders": ("not-eligible", {"prod": "not-eligible"}),
                     "POST /orders": ("sync", {"prod": "sync"})}
    assert [s["exportError"] for s in report["stages"]] == [None]
