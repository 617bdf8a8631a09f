"""The installed `asyncgw` as a subprocess against the sandbox server, read back by the AWS CLI."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from asyncgw_sandbox.seed import SeededApi, clients, seed_orders_api
from asyncgw_sandbox.server import Server, start

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed"
    return found


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with start(port=0) as running:
        yield running


@pytest.fixture
def env(server: Server) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NO_COLOR": "1",
    }


@pytest.fixture
def api(server: Server) -> SeededApi:
    return seed_orders_api(clients("us-east-1", server.endpoint_url))


def asyncgw(server: Server, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("asyncgw"), *args, "--endpoint-url", server.endpoint_url],
                          env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def aws(server: Server, env: dict[str, str], *args: str) -> dict[str, object]:
    done = subprocess.run([_tool("aws"), "apigateway", *args, "--endpoint-url",
                           server.endpoint_url, "--output", "json"],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _method(server: Server, env: dict[str, str], api: SeededApi, verb: str, path: str
            ) -> dict[str, object]:
    return aws(server, env, "get-method", "--rest-api-id", api.api_id, "--resource-id",
               api.resource_ids[path], "--http-method", verb)


def test_status_agrees_with_the_aws_cli(server: Server, env: dict[str, str],
                                        api: SeededApi) -> None:
    done = asyncgw(server, env, "status", api.api_id, "--output", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for item in report["methods"]:
        method = _method(server, env, api, item["httpMethod"], item["path"])
        integration = method.get("methodIntegration", {})
        assert isinstance(integration, dict)
        assert item["integrationType"] == integration.get("type")
        validator = item["validator"]
        assert (validator or {}).get("id") == method.get("requestValidatorId")


def test_switchable_then_async_then_disable_as_the_aws_cli_sees_it(
    server: Server, env: dict[str, str], api: SeededApi
) -> None:
    target = ("-m", "GET /orders", "--stage", "prod", "--yes")
    done = asyncgw(server, env, "enable-switchable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    assert "live on stage prod" in done.stdout
    method = _method(server, env, api, "GET", "/orders")
    params = method["requestParameters"]
    assert isinstance(params, dict)
    assert params["method.request.header.InvocationType"] is True
    assert params["method.request.querystring.status"] is False
    validator = aws(server, env, "get-request-validator", "--rest-api-id", api.api_id,
                    "--request-validator-id", str(method["requestValidatorId"]))
    assert validator["validateRequestParameters"] is True
    integration = aws(server, env, "get-integration", "--rest-api-id", api.api_id,
                      "--resource-id", api.resource_ids["/orders"], "--http-method", "GET")
    mapping = integration["requestParameters"]
    assert isinstance(mapping, dict)
    assert mapping["integration.request.header.X-Amz-Invocation-Type"] == (
        "method.request.header.InvocationType")

    done = asyncgw(server, env, "enable-async", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    integration = aws(server, env, "get-integration", "--rest-api-id", api.api_id,
                      "--resource-id", api.resource_ids["/orders"], "--http-method", "GET")
    mapping = integration["requestParameters"]
    assert isinstance(mapping, dict)
    assert mapping["integration.request.header.X-Amz-Invocation-Type"] == "'Event'"
    params = _method(server, env, api, "GET", "/orders")["requestParameters"]
    assert params == {"method.request.querystring.status": False}

    done = asyncgw(server, env, "disable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    integration = aws(server, env, "get-integration", "--rest-api-id", api.api_id,
                      "--resource-id", api.resource_ids["/orders"], "--http-method", "GET")
    assert "integration.request.header.X-Amz-Invocation-Type" not in (
        integration.get("requestParameters") or {})
    stage = aws(server, env, "get-stage", "--rest-api-id", api.api_id, "--stage-name", "prod")
    deployment = aws(server, env, "get-deployment", "--rest-api-id", api.api_id,
                     "--deployment-id", str(stage["deploymentId"]))
    assert deployment["description"] == "asyncgw: GET /orders -> sync"


def test_a_proxy_conversion_and_its_restore_as_the_aws_cli_sees_it(
    server: Server, env: dict[str, str], api: SeededApi
) -> None:
    where = ("--rest-api-id", api.api_id, "--resource-id", api.resource_ids["/webhooks"],
             "--http-method", "ANY")
    before = aws(server, env, "get-integration", *where)
    target = ("-m", "ANY /webhooks", "--stage", "prod", "--yes")
    done = asyncgw(server, env, "enable-switchable", api.api_id, *target, "--convert-proxy",
                   "--respond-202")
    assert done.returncode == 0, done.stderr
    converted = aws(server, env, "get-integration", *where)
    assert converted["type"] == "AWS"
    templates = converted["requestTemplates"]
    assert isinstance(templates, dict)
    assert str(templates["application/json"]).startswith("## asyncgw:converted ")

    proven = asyncgw(server, env, "verify", api.api_id, "-m", "ANY /webhooks", "--stage",
                     "prod", "--output", "json")
    assert proven.returncode == 0, proven.stderr
    assert json.loads(proven.stdout)["methods"][0]["proven"] is True

    done = asyncgw(server, env, "disable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    # AWS drops a map once it is empty [REC A3]; moto keeps the seeded empty ones.
    assert aws(server, env, "get-integration", *where) == {
        k: v for k, v in before.items() if v != {}}


def test_no_terminal_and_no_yes_is_exit_2(server: Server, env: dict[str, str],
                                          api: SeededApi) -> None:
    done = asyncgw(server, env, "enable-async", api.api_id, "-m", "GET /orders",
                   "--stage", "prod")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("Error: no terminal to confirm")
    assert "Traceback" not in done.stderr


def test_missing_credentials_is_one_line(server: Server, env: dict[str, str]) -> None:
    bare = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    bare["AWS_DEFAULT_REGION"] = "us-east-1"
    bare["AWS_CONFIG_FILE"] = bare["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
    done = asyncgw(server, bare, "status", "orders")
    assert done.returncode == 2
    assert done.stderr.strip() == ("Error: no AWS credentials found: pass --profile, set "
                                   "AWS_PROFILE or AWS_ACCESS_KEY_ID, or run: aws configure")


def test_missing_region_is_one_line(server: Server, env: dict[str, str]) -> None:
    bare = {k: v for k, v in env.items() if k != "AWS_DEFAULT_REGION"}
    bare["AWS_CONFIG_FILE"] = "/nonexistent"
    done = asyncgw(server, bare, "status", "orders")
    assert done.returncode == 2
    assert "no AWS region: pass --region" in done.stderr


def test_unknown_profile_is_one_line(server: Server, env: dict[str, str]) -> None:
    done = asyncgw(server, env, "status", "orders", "--profile", "ghost")
    assert done.returncode == 2
    assert "profile 'ghost' is not in your AWS config" in done.stderr


def test_help_does_not_import_boto3_or_moto() -> None:
    probe = ("import sys\nfrom asyncgw.cli import run\n"
             "for args in (['--help'], ['status', '--help'], ['enable-async', '--help']):\n"
             "    assert run(args) == 0\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('boto3', 'botocore', 'moto')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_stage_with_a_canary_is_exit_2_and_the_given_way_out_works(
        server: Server, env: dict[str, str], api: SeededApi) -> None:
    aws(server, env, "create-deployment", "--rest-api-id", api.api_id, "--stage-name", "prod",
        "--canary-settings", "percentTraffic=10")
    before = [aws(server, env, "get-resources", "--rest-api-id", api.api_id, "--embed", "methods"),
              aws(server, env, "get-stages", "--rest-api-id", api.api_id)]
    for command in (["enable-async", api.api_id, "-m", "GET /orders", "--stage", "prod"],
                    ["redeploy", api.api_id, "--stage", "prod"]):
        done = asyncgw(server, env, *command, "--yes")
        assert done.returncode == 2, done.stderr
        message = done.stderr.strip()
        assert "\n" not in message and "Traceback" not in message
        assert "stage prod has a canary release" in message
        assert message.endswith("nothing was changed")
    assert [aws(server, env, "get-resources", "--rest-api-id", api.api_id, "--embed", "methods"),
            aws(server, env, "get-stages", "--rest-api-id", api.api_id)] == before
    # A way out the message gives, run as printed.
    cancel = shlex.split(message[message.index("'asyncgw cancel-canary"):].split("'")[1])
    done = asyncgw(server, env, *cancel[1:], "--yes")
    assert done.returncode == 0, done.stderr
    assert "canarySettings" not in aws(server, env, "get-stage", "--rest-api-id", api.api_id,
                                       "--stage-name", "prod")
    done = asyncgw(server, env, "enable-async", api.api_id, "-m", "GET /orders", "--stage",
                   "prod", "--yes")
    assert done.returncode == 0, done.stderr
