"""LocalStack itself answers the reads asyncgw makes, so later failures are asyncgw's own."""

from __future__ import annotations

import boto3

from tests.localstack.runtime import LocalStack


def test_localstack_serves_api_gateway(localstack: LocalStack) -> None:
    client = boto3.client("apigateway", endpoint_url=localstack.endpoint_url,
                          region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    created = client.create_rest_api(name="smoke")
    try:
        assert created["endpointConfiguration"]["ipAddressType"] in ("ipv4", "dualstack")
        # The LocalStack is shared by the session: other tests' APIs may be there too.
        assert created["id"] in [api["id"] for api in client.get_rest_apis()["items"]]
    finally:
        client.delete_rest_api(restApiId=created["id"])
