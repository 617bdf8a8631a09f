"""On LocalStack too: a canary stage is refused before any write, and function settings round-trip.

LocalStack removes a canary on a full deployment where AWS refuses one [DOC canary-release],
so asyncgw's refusal must not depend on the deployment failing: it refuses in the plan.
LocalStack's event invoke configuration is recorded against AWS [REC lambda.snapshot].
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from asyncgw_sandbox.seed import (
    MethodSpec,
    SeededApi,
    clients,
    ensure_function,
    seed_rest_api,
)

from asyncgw.rest.functions import Functions
from asyncgw.rest.snapshot import AsyncConfig
from tests.localstack.runtime import LocalStack

BIN = Path(sys.executable).parent
QUEUE = "arn:aws:sqs:us-east-1:000000000000:failed"
DONE = "arn:aws:sqs:us-east-1:000000000000:done"


def _state(c, api_id: str) -> list[object]:
    return [c.apigateway.get_resources(restApiId=api_id, embed=["methods"])["items"],
            c.apigateway.get_stages(restApiId=api_id)["item"]]


@pytest.fixture
def api(localstack: LocalStack) -> Iterator[SeededApi]:
    """A REST API with one Lambda method, deleted afterwards: LocalStack is shared."""
    c = clients("us-east-1", localstack.endpoint_url)
    seeded = seed_rest_api(c, "canary-ls", [MethodSpec("/jobs", "POST", "aws", function="jobs")])
    yield seeded
    # Functions stay: LocalStack cannot delete one without Docker.
    c.apigateway.delete_rest_api(restApiId=seeded.api_id)


def test_the_installed_cli_refuses_a_canary_stage_and_changes_nothing(
        localstack: LocalStack, api: SeededApi) -> None:
    c = clients("us-east-1", localstack.endpoint_url)
    c.apigateway.create_deployment(restApiId=api.api_id, stageName="prod",
                                   canarySettings={"percentTraffic": 10})
    before = _state(c, api.api_id)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1", "NO_COLOR": "1"}
    for command in (["enable-async", api.api_id, "-m", "POST /jobs", "--stage", "prod"],
                    ["redeploy", api.api_id, "--stage", "prod"]):
        done = subprocess.run([str(BIN / "asyncgw"), *command, "--yes", "--endpoint-url",
                               localstack.endpoint_url], env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 2, done.stderr
        assert "stage prod has a canary release" in done.stderr
    assert _state(c, api.api_id) == before


@pytest.fixture
def functions(localstack: LocalStack) -> Functions:
    """Lambda calls on a function whose configuration each test puts first."""
    c = clients("us-east-1", localstack.endpoint_url)
    ensure_function(c, "settings")
    return Functions(c.lambda_)


def test_a_configuration_with_no_settings_is_put_back_as_lambda_takes_it(
        functions: Functions) -> None:
    functions.client.put_function_event_invoke_config(
        FunctionName="settings", DestinationConfig={"OnSuccess": {}})
    assert functions.config("settings") == AsyncConfig()
    functions.update("settings", AsyncConfig(maximum_retry_attempts=0), exists=True)
    functions.put_back("settings", AsyncConfig())
    assert functions.config("settings") == AsyncConfig()


def test_an_update_of_the_on_failure_destination_keeps_on_success(functions: Functions) -> None:
    functions.client.put_function_event_invoke_config(
        FunctionName="settings", DestinationConfig={"OnSuccess": {"Destination": DONE}})
    functions.update("settings", AsyncConfig(on_failure=QUEUE), exists=True)
    assert functions.config("settings") == AsyncConfig(on_success=DONE, on_failure=QUEUE)
