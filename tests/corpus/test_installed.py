"""The installed asyncgw on a few corpus definitions in LocalStack, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.corpus import definitions, oracle, readback
from tests.localstack.runtime import LocalStack


def _asyncgw() -> str:
    found = shutil.which("asyncgw", path=str(Path(sys.executable).parent)) or shutil.which(
        "asyncgw")
    assert found, "asyncgw is not installed"
    return found


@pytest.fixture
def installed(localstack: LocalStack) -> Any:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1", "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([_asyncgw(), *args, "--endpoint-url", localstack.endpoint_url],
                              env=env, capture_output=True, text=True, timeout=300,
                              check=False)
        assert "unexpected" not in done.stderr and "Traceback" not in done.stderr, done.stderr
        return done

    return run


@pytest.fixture
def client(localstack: LocalStack) -> Any:
    return boto3.client("apigateway", endpoint_url=localstack.endpoint_url,
                        region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def test_status_says_a_streaming_method_streams(installed: Any, client: Any) -> None:
    name = "aws-samples__serverless-patterns__response-streaming.yaml"
    api_id = client.import_rest_api(body=definitions.load(name).body)["id"]
    try:
        done = installed("status", api_id, "--output", "json")
        refused = installed("enable-async", api_id, "-m", "POST /story", "--convert-proxy",
                            "--no-deploy", "--yes")
    finally:
        client.delete_rest_api(restApiId=api_id)
    assert done.returncode == 0, done.stderr
    [story] = json.loads(done.stdout)["methods"]
    assert (story["mode"], story["function"]) == (
        "not-eligible", "arn:aws:lambda:us-east-1:123456789012:function:StreamingFunction")
    assert "streams its response (responseTransferMode STREAM)" in story["reason"]
    assert refused.returncode == 2
    assert "POST /story is not eligible: Lambda proxy integration that streams" in \
        refused.stderr


def test_proxies_with_integration_responses_convert_and_come_back(
        installed: Any, client: Any) -> None:
    name = "govuk-one-login__ipv-stubs__evcs-external.yaml"
    document = definitions.load(name)
    api_id = client.import_rest_api(body=document.body)["id"]
    try:
        before = readback.read(client, api_id)
        converted = installed("enable-switchable", api_id, "--all", "--convert-proxy",
                              "--no-deploy", "--yes")
        middle = readback.read(client, api_id)
        disabled = installed("disable", api_id, "--all", "--no-deploy", "--yes")
        after = readback.read(client, api_id)
    finally:
        client.delete_rest_api(restApiId=api_id)
    assert converted.returncode == 0, converted.stderr
    assert disabled.returncode == 0, disabled.stderr
    proxies = [k for k, e in oracle.methods(document.document).items() if e.convertible]
    with_responses = [k for k in proxies
                      if before["methods"][k]["methodIntegration"].get("integrationResponses")]
    assert with_responses, "the definition has proxies with integration responses"
    for key in proxies:
        assert middle["methods"][key]["methodIntegration"]["type"] == "AWS"
        method = {k: v for k, v in after["methods"][key].items() if k != "requestValidatorId"}
        original = before["methods"][key]
        if "requestValidatorId" in original:
            method["requestValidatorId"] = original["requestValidatorId"]
        assert readback.flat(method) == readback.flat(original), key
