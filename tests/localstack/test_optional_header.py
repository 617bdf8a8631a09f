"""--optional-header keeps callers without InvocationType synchronous, through a deployed stage.

LocalStack runs with the recording runtime executor (tests/localstack/recording_executor): the
function answers at once with a fixed result. Through a Lambda non-proxy method, a synchronous
call returns that result as the body; an Event call returns Lambda's empty 202 payload, so the
caller gets an empty 200. That tells the two apart from the outside, as a caller would.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.localstack.cli import Answer, asyncgw, asyncgw_json, call_stage, client
from tests.localstack.runtime import LocalStack, LocalStackUnavailable, start

STAGE = "dev"
SYNC_BODY = {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "recorded"}
"""What the recording executor answers every invocation with."""
MISSING = {"message": "Missing required request parameters: [InvocationType]"}


@dataclass(frozen=True)
class Api:
    localstack: LocalStack
    api_id: str

    def call(self, headers: dict[str, str] | None = None) -> Answer:
        return call_stage(self.localstack, self.api_id, STAGE, "POST", "/jobs", headers)


def synchronous(answer: Answer) -> bool:
    """The caller got the function's own answer: Lambda was invoked with RequestResponse."""
    return answer.status == 200 and json.loads(answer.body) == SYNC_BODY


def asynchronous(answer: Answer) -> bool:
    """The caller got Lambda's empty Event payload through the default integration response."""
    return answer.status == 200 and answer.body == ""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = Path(tmp_path_factory.mktemp("localstack-optional-header"))
    env = {"LAMBDA_RUNTIME_EXECUTOR": "asyncgw-recording",
           "ASYNCGW_RECORDING_DIR": str(root / "recordings")}
    try:
        running = start(root, env)
    except LocalStackUnavailable as why:
        pytest.fail(f"LocalStack is needed for this test: {why}")
    try:
        yield Api(running, _jobs_api(running, _function(running)))
    finally:
        running.stop()


def _function(localstack: LocalStack) -> str:
    iam, lam = client(localstack, "iam"), client(localstack, "lambda")
    role = iam.create_role(RoleName="jobs", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]
    }))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    arn: str = lam.create_function(FunctionName="jobs", Runtime="python3.12", Role=role,
                                   Handler="index.handler",
                                   Code={"ZipFile": code.getvalue()})["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName="jobs")
    return arn


def _jobs_api(localstack: LocalStack, function_arn: str) -> str:
    """POST /jobs, a Lambda non-proxy integration, deployed to dev."""
    apigw = client(localstack, "apigateway")
    api_id: str = apigw.create_rest_api(name="jobs")["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"]
                if r["path"] == "/")
    jobs = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="jobs")["id"]
    where = {"restApiId": api_id, "resourceId": jobs, "httpMethod": "POST"}
    apigw.put_method(**where, authorizationType="NONE")
    apigw.put_integration(**where, type="AWS", integrationHttpMethod="POST",
                          uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                              f"{function_arn}/invocations")
    apigw.put_method_response(**where, statusCode="200")
    apigw.put_integration_response(**where, statusCode="200", selectionPattern="")
    apigw.create_deployment(restApiId=api_id, stageName=STAGE)
    return api_id


def test_callers_without_the_header_stay_synchronous_until_it_is_required(api: Api) -> None:
    assert synchronous(api.call())  # as seeded: sync
    target = ("-m", "POST /jobs", "--stage", STAGE, "--yes")

    done = asyncgw(api.localstack, "enable-switchable", api.api_id, *target, "--optional-header")
    assert done.returncode == 0, done.stderr
    assert "will get 400" not in done.stdout
    assert synchronous(api.call())
    assert synchronous(api.call({"InvocationType": "RequestResponse"}))
    assert asynchronous(api.call({"InvocationType": "Event"}))
    [method] = asyncgw_json(api.localstack, "status", api.api_id)["methods"]
    assert (method["mode"], method["invocationTypeHeader"]) == ("switchable", "optional")
    assert not [w for w in method["warnings"] if "InvocationType" in w]

    done = asyncgw(api.localstack, "enable-switchable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    assert ("callers of POST /jobs that do not send the InvocationType header will get 400"
            in " ".join(done.stdout.split()))
    answer = api.call()
    assert (answer.status, json.loads(answer.body)) == (400, MISSING)
    assert asynchronous(api.call({"InvocationType": "Event"}))
