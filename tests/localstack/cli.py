"""The installed `asyncgw` and AWS CLI run as subprocesses against LocalStack, with boto3 beside."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from tests.localstack.runtime import LocalStack

BIN = Path(sys.executable).parent
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


def tool(name: str) -> str:
    """The venv's own executable `name`."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed"
    return found


def environment() -> dict[str, str]:
    """This process's environment with LocalStack's fake credentials instead of any AWS_*."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **CREDENTIALS,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "NO_COLOR": "1",
    }


def asyncgw(localstack: LocalStack, *args: str, endpoint_url: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    """`asyncgw ARGS --endpoint-url LOCALSTACK` (or `endpoint_url`), with no terminal."""
    endpoint = endpoint_url or localstack.endpoint_url
    return subprocess.run([tool("asyncgw"), *args, "--endpoint-url", endpoint],
                          env=environment(), capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)


def asyncgw_json(localstack: LocalStack, *args: str) -> dict[str, Any]:
    """The one JSON object `asyncgw ARGS --output json` prints, after checking it exited 0."""
    done = asyncgw(localstack, *args, "--output", "json")
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def aws(localstack: LocalStack, *args: str) -> dict[str, Any]:
    """`aws apigateway ARGS` as parsed JSON: an independent reader of what asyncgw wrote."""
    done = subprocess.run([tool("aws"), "apigateway", *args, "--endpoint-url",
                           localstack.endpoint_url, "--output", "json"],
                          env=environment(), capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout) if done.stdout.strip() else {}
    return result


def client(localstack: LocalStack, service: str) -> Any:
    """A boto3 client for `service` on LocalStack."""
    return boto3.client(service, endpoint_url=localstack.endpoint_url, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test")


def gateway_read(localstack: LocalStack, operation: str, **parameters: Any) -> dict[str, Any]:
    """One API Gateway read through boto3 (faster than the AWS CLI), without ResponseMetadata."""
    answer: dict[str, Any] = getattr(client(localstack, "apigateway"), operation)(**parameters)
    answer.pop("ResponseMetadata", None)
    return answer


@dataclass(frozen=True)
class Answer:
    """What a caller of a deployed stage got."""

    status: int
    body: str


def call_stage(localstack: LocalStack, api_id: str, stage: str, verb: str, path: str,
               headers: dict[str, str] | None = None, body: bytes = b"{}") -> Answer:
    """Call `verb path` on a deployed stage through LocalStack's execute-api route."""
    # http.client sends header names as given (urllib would send "Invocationtype"), and
    # LocalStack matches the names of required headers case-sensitively.
    where = urllib.parse.urlsplit(localstack.endpoint_url)
    connection = http.client.HTTPConnection(where.netloc, timeout=30)
    try:
        connection.request(verb, f"/_aws/execute-api/{api_id}/{stage}{path}", body=body,
                           headers={"Content-Type": "application/json", **(headers or {})})
        got = connection.getresponse()
        return Answer(got.status, got.read().decode())
    finally:
        connection.close()
