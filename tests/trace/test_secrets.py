"""A trace written by the installed CLI holds no credential, signature or request header."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from asyncgw_sandbox.seed import clients, seed_orders_api
from asyncgw_sandbox.seed_http import RouteSpec, http_api_clients, seed_http_api
from asyncgw_sandbox.server import Server, start

from asyncgw.aws import trace

BIN = Path(sys.executable).parent
ACCOUNT = "123456789012"  # the sandbox's account id
# Not the sandbox's usual 'testing': words that occur nowhere else, so a hit is a leak, and
# no AKIA/ASIA shape, so the recorder's text scrubbing cannot be what hides them.
ACCESS_KEY = "TRACETESTACCESSKEYID"
SECRET_KEY = "trace-test-secret-access-key-value"
SESSION_TOKEN = "trace-test-session-token-FwoGZXIvYXdzEJr"
DATABASE_PASSWORD = "hunter2-trace-db-password"
SIGNING_HEADERS = ("Authorization", "X-Amz-Security-Token", "X-Amz-Date", "X-Amz-Signature",
                   "X-Amz-Credential", "X-Amz-Content-Sha256")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with start(port=0) as running:
        yield running


@pytest.fixture(scope="module")
def seeded(server: Server) -> str:
    """The orders REST API and a 'jobs' HTTP API; returns the HTTP API's id."""
    server.reset()  # the emulated account is one per process, shared with other servers
    base = clients("us-east-1", server.endpoint_url)
    seed_orders_api(base)
    # A function's own secret, in a variable whose name does not say so.
    base.lambda_.update_function_configuration(FunctionName="orders-jobs", Environment={
        "Variables": {"DATABASE_URL": f"postgres://app:{DATABASE_PASSWORD}@db/orders"}})
    return seed_http_api(http_api_clients(base), "jobs", [RouteSpec("POST /jobs")]).api_id


def _asyncgw(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
           "AWS_SESSION_TOKEN": SESSION_TOKEN, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    found = shutil.which("asyncgw", path=str(BIN))
    assert found, "asyncgw is not installed"
    return subprocess.run([found, *args, "--endpoint-url", server.endpoint_url], env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def _traced(server: Server, path: Path, *args: str, code: int = 0) -> str:
    done = _asyncgw(server, *args, "--trace", str(path))
    assert done.returncode == code, done.stderr
    return path.read_text(encoding="utf-8")


def _no_secret_in(text: str) -> None:
    for secret in (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, SESSION_TOKEN[-12:], DATABASE_PASSWORD):
        assert secret not in text
    for header in SIGNING_HEADERS:
        # authorizationType is a method setting, not the header: whole words only.
        assert not re.search(rf"(?<![\w-]){re.escape(header)}(?![\w-])", text, re.IGNORECASE)


def test_rest_api_commands_write_calls_but_no_credentials(server: Server, seeded: str,
                                                          tmp_path: Path) -> None:
    texts = [
        _traced(server, tmp_path / "status.jsonl", "status", "orders"),
        _traced(server, tmp_path / "enable.jsonl", "enable-switchable", "orders", "-m",
                "POST /orders/{id}/ship", "--stage", "prod", "--yes"),
        _traced(server, tmp_path / "verify.jsonl", "verify", "orders", "-m",
                "POST /orders/{id}/ship", "--stage", "prod"),
    ]
    for text in texts:
        _no_secret_in(text)
        assert ACCOUNT in text
    calls = [json.loads(line) for text in texts for line in text.splitlines()[1:]]
    operations = {call["operation"] for call in calls}
    (configuration, *_) = [c for c in calls if c["operation"] == "GetFunctionConfiguration"]
    assert configuration["response"]["Environment"]["Variables"] == {
        "DATABASE_URL": trace.REDACTED}
    assert {"GetRestApis", "GetResources", "GetFunctionConfiguration", "UpdateMethod",
            "CreateDeployment", "TestInvokeMethod", "GetExport"} <= operations
    # The execution log lists the signed request's headers: the recorder takes them out.
    (log,) = [c["response"]["log"] for c in calls if c["operation"] == "TestInvokeMethod"]
    assert "Endpoint request headers: {" in log and trace.REDACTED in log
    # GetExport's streamed body is recorded, and the command still read it (prod is live).
    export = next(c for c in calls if c["operation"] == "GetExport")
    assert json.loads(export["response"]["body"]["$text"])["openapi"].startswith("3.")
    assert "live on prod" in _asyncgw(server, "verify", "orders", "-m",
                                      "POST /orders/{id}/ship", "--stage", "prod").stdout


def test_http_api_commands_record_their_lambda_iam_and_sts_calls(server: Server, seeded: str,
                                                                  tmp_path: Path) -> None:
    text = _traced(server, tmp_path / "http.jsonl", "enable-async", seeded, "-m", "POST /jobs",
                   "--yes")
    _no_secret_in(text)
    assert ACCOUNT in text
    calls = [json.loads(line) for line in text.splitlines()[1:]]
    assert {"apigateway", "apigatewayv2", "lambda", "iam", "sts"} == {c["service"] for c in calls}
    (created,) = [c for c in calls if c["operation"] == "CreateFunction"]
    assert set(created["params"]["Code"]["ZipFile"]) == {"$base64"}  # the forwarder's zip
    assert any(c["status"] == 404 and c["error"]["code"] == "ResourceNotFoundException"
               for c in calls)


def test_credentials_in_an_answer_are_redacted(server: Server, tmp_path: Path) -> None:
    # asyncgw never asks for credentials; a call that returns some proves the redaction.
    path = tmp_path / "sts.jsonl"
    warnings: list[str] = []
    with trace.recording(str(path), "asyncgw test", {}, warnings.append):
        session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                aws_session_token=SESSION_TOKEN, region_name="us-east-1")
        trace.attach(session)
        sts = session.client("sts", endpoint_url=server.endpoint_url)
        issued = sts.get_session_token()["Credentials"]
    text = path.read_text(encoding="utf-8")
    _no_secret_in(text)
    for value in (issued["SecretAccessKey"], issued["SessionToken"], issued["AccessKeyId"]):
        assert value not in text
    (call,) = [json.loads(line) for line in text.splitlines()[1:]]
    assert call["operation"] == "GetSessionToken" and call["status"] == 200
    assert call["response"]["Credentials"] == trace.REDACTED
    assert warnings == []
