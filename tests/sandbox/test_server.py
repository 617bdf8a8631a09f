"""The sandbox served over HTTP: boto3 with endpoint_url, the AWS CLI, python -m asyncgw_sandbox."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from asyncgw_sandbox.seed import MethodSpec, clients, seed_rest_api
from asyncgw_sandbox.seed_http import SAMPLE_ROUTES, RouteSpec, http_api_clients, seed_http_api
from asyncgw_sandbox.server import start
from botocore.exceptions import ClientError

INVOCATION_TYPE = "integration.request.header.X-Amz-Invocation-Type"
CLIENT_HEADER = "method.request.header.InvocationType"


@pytest.fixture(scope="module")
def server():
    running = start(port=0)
    yield running
    running.stop()


@pytest.fixture
def jobs(server):
    """A fresh account on the server holding `POST /jobs`, a sync Lambda non-proxy method."""
    server.reset()
    c = clients(endpoint_url=server.endpoint_url)
    seeded = seed_rest_api(c, "jobs", [MethodSpec("/jobs", "POST", function="jobs")])
    return c, seeded.api_id, seeded.resource_ids["/jobs"]


def aws_cli(server, *arguments):
    """Run the AWS CLI against the server; returns the finished process."""
    executable = Path(sys.executable).with_name("aws")
    command = str(executable) if executable.exists() else shutil.which("aws")
    if command is None:
        pytest.fail("the AWS CLI (awscli, a test dependency) is not installed")
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
    }
    return subprocess.run(
        [command, "--endpoint-url", server.endpoint_url, "--output", "json", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _pump(stream, lines):
    try:
        for line in stream:
            lines.put(line)
    except ValueError:
        pass  # communicate() closed the stream once the test had what it needed


def read_until(process, marker, timeout):
    """The subprocess's stdout up to the line starting with `marker`, waiting at most `timeout`."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    seen = []
    deadline = time.monotonic() + timeout
    while not (seen and seen[-1].startswith(marker)):
        try:
            seen.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            pytest.fail(f"no {marker!r} line within {timeout} s; got {''.join(seen)!r}")
    return "".join(seen)


def test_port_zero_binds_a_real_port(server):
    address = urlsplit(server.endpoint_url)
    assert address.hostname == "127.0.0.1"
    assert address.port
    with socket.create_connection((address.hostname, address.port), timeout=5):
        pass


def test_a_taken_port_is_an_error_not_a_hang(server):
    with pytest.raises(OSError, match="Address already in use"):
        start(port=urlsplit(server.endpoint_url).port)


def test_boto3_patches_and_reads_back_over_http(jobs):
    c, api_id, resource_id = jobs
    address = {"restApiId": api_id, "resourceId": resource_id, "httpMethod": "POST"}
    c.apigateway.update_method(
        **address,
        patchOperations=[
            {"op": "add", "path": f"/requestParameters/{CLIENT_HEADER}", "value": "true"}
        ],
    )
    c.apigateway.update_integration(
        **address,
        patchOperations=[
            {"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE}", "value": CLIENT_HEADER}
        ],
    )
    method = c.apigateway.get_method(**address)
    assert method["requestParameters"] == {CLIENT_HEADER: True}
    assert method["methodIntegration"]["requestParameters"] == {INVOCATION_TYPE: CLIENT_HEADER}


def test_errors_keep_their_shape_over_http(jobs):
    c, api_id, resource_id = jobs
    with pytest.raises(ClientError) as caught:
        c.apigateway.update_integration(
            restApiId=api_id,
            resourceId=resource_id,
            httpMethod="POST",
            patchOperations=[
                {"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE}", "value": "Event"}
            ],
        )
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "BadRequestException"
    assert response["message"] == response["Error"]["Message"]
    assert response["message"].endswith("[Invalid mapping expression specified: Event]")


def test_test_invoke_and_export_over_http(jobs):
    c, api_id, resource_id = jobs
    address = {"restApiId": api_id, "resourceId": resource_id, "httpMethod": "POST"}
    c.apigateway.update_integration(**address, patchOperations=[
        {"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE}", "value": "'Event'"}])
    invoked = c.apigateway.test_invoke_method(**address, body="{}")
    assert invoked["status"] == 200
    assert "Received response. Status: 202, " in invoked["log"]
    exported = c.apigateway.get_export(restApiId=api_id, stageName="prod", exportType="oas30",
                                       parameters={"extensions": "apigateway"})
    integration = json.loads(exported["body"].read())["paths"]["/jobs"]["post"][
        "x-amazon-apigateway-integration"]
    assert "requestParameters" not in integration  # prod serves the deployment before the patch


def test_event_invoke_config_over_http(jobs):
    c, _, _ = jobs
    c.lambda_.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=2,
                                               MaximumEventAgeInSeconds=60)
    c.lambda_.update_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=0)
    found = c.lambda_.get_function_event_invoke_config(FunctionName="jobs")
    assert (found["MaximumRetryAttempts"], found["MaximumEventAgeInSeconds"]) == (0, 60)
    deleted = c.lambda_.delete_function_event_invoke_config(FunctionName="jobs")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as caught:
        c.lambda_.get_function_event_invoke_config(FunctionName="jobs")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_aws_cli_reads_back_what_it_wrote(server, jobs):
    _, api_id, resource_id = jobs
    address = ["--rest-api-id", api_id, "--resource-id", resource_id, "--http-method", "POST"]
    # The JSON form of --patch-operations: the shorthand form would strip the quotes of 'Event'.
    event = json.dumps(
        [{"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE}", "value": "'Event'"}]
    )
    updated = aws_cli(
        server, "apigateway", "update-integration", *address, "--patch-operations", event
    )
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["requestParameters"] == {INVOCATION_TYPE: "'Event'"}

    header = json.dumps(
        [{"op": "add", "path": f"/requestParameters/{CLIENT_HEADER}", "value": "true"}]
    )
    assert (
        aws_cli(
            server, "apigateway", "update-method", *address, "--patch-operations", header
        ).returncode
        == 0
    )

    method = aws_cli(server, "apigateway", "get-method", *address)
    assert method.returncode == 0, method.stderr
    document = json.loads(method.stdout)
    assert document["requestParameters"] == {CLIENT_HEADER: True}
    assert document["methodIntegration"]["requestParameters"] == {INVOCATION_TYPE: "'Event'"}


def test_aws_cli_reports_a_refused_patch(server, jobs):
    _, api_id, resource_id = jobs
    refused = aws_cli(
        server,
        "apigateway",
        "update-method",
        *["--rest-api-id", api_id, "--resource-id", resource_id, "--http-method", "POST"],
        "--patch-operations",
        json.dumps([{"op": "add", "path": "/requestValidatorId", "value": "x"}]),
    )
    assert refused.returncode != 0
    assert "BadRequestException" in refused.stderr
    assert "Must be one of: [replace]" in refused.stderr


def test_http_api_deployments_over_http(server):
    # The server routes apigatewayv2's deployment URLs too, and answers UpdateStage.
    server.reset()
    c = http_api_clients(clients(endpoint_url=server.endpoint_url))
    api_id = seed_http_api(c, "jobs", [RouteSpec("POST /jobs")],
                           stages=(("prod", False),)).api_id
    first = c.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")
    assert first["ResponseMetadata"]["HTTPStatusCode"] == 201
    second = c.apigatewayv2.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    served = c.apigatewayv2.get_stages(ApiId=api_id)["Items"][0]["DeploymentId"]
    assert served == second
    c.apigatewayv2.update_stage(ApiId=api_id, StageName="prod",
                                DeploymentId=first["DeploymentId"])
    stage = c.apigatewayv2.get_stage(ApiId=api_id, StageName="prod")
    assert stage["DeploymentId"] == first["DeploymentId"]
    with pytest.raises(ClientError) as caught:
        c.apigatewayv2.delete_deployment(ApiId=api_id, DeploymentId=first["DeploymentId"])
    assert caught.value.response["Error"]["Code"] == "BadRequestException"


def test_aws_cli_creates_an_http_api_deployment(server):
    server.reset()
    c = http_api_clients(clients(endpoint_url=server.endpoint_url))
    api_id = seed_http_api(c, "jobs", [RouteSpec("POST /jobs")],
                           stages=(("prod", False),)).api_id
    made = aws_cli(server, "apigatewayv2", "create-deployment", "--api-id", api_id,
                   "--stage-name", "prod")
    assert made.returncode == 0, made.stderr
    deployment = json.loads(made.stdout)
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    stage = aws_cli(server, "apigatewayv2", "get-stage", "--api-id", api_id, "--stage-name",
                    "prod")
    assert json.loads(stage.stdout)["DeploymentId"] == deployment["DeploymentId"]


def test_python_m_sandbox_serves_seeds_and_stops_cleanly_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "asyncgw_sandbox", "--port", "0", "--seed"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output = read_until(process, "Press Ctrl-C", timeout=60)
        endpoint = re.search(r"listening on (http://127\.0\.0\.1:\d+)", output).group(1)
        api_id = re.search(r'Seeded REST API "orders": (\w+)', output).group(1)
        http_api_id = re.search(r'Seeded HTTP API "events": (\w+) \(region us-east-1, '
                                r"stage \$default, deploys automatically\)", output).group(1)
        c = clients(endpoint_url=endpoint)
        assert c.apigateway.get_rest_api(restApiId=api_id)["name"] == "orders"
        v2 = http_api_clients(c).apigatewayv2
        assert v2.get_api(ApiId=http_api_id)["Name"] == "events"
        assert len(v2.get_routes(ApiId=http_api_id)["Items"]) == len(SAMPLE_ROUTES)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in errors
