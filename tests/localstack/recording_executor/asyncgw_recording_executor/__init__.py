"""A LocalStack Lambda runtime executor that runs no code: it records each event and answers.

LocalStack loads it when started with LAMBDA_RUNTIME_EXECUTOR=asyncgw-recording. Every invocation
appends one JSON line to $ASYNCGW_RECORDING_DIR/invocations.jsonl: the function's ARN, the request
id and the payload exactly as LocalStack would hand it to the function. The answer is a proxy
result (statusCode 200, body "recorded"), so proxy and converted methods both answer 200.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin
from localstack.services.lambda_.invocation.runtime_executor import RuntimeExecutor

NAME = "asyncgw-recording"
RECORDING_DIR = "ASYNCGW_RECORDING_DIR"
RECORDING_FILE = "invocations.jsonl"
RESULT = {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "recorded"}

_write_lock = threading.Lock()


def recording_file() -> Path:
    """Where the invocations are appended."""
    return Path(os.environ[RECORDING_DIR]) / RECORDING_FILE


class RecordingExecutor(RuntimeExecutor):
    """An execution environment with nothing in it: invoking records the payload."""

    def start(self, env_vars: dict[str, str]) -> None:
        pass

    def stop(self) -> None:
        pass

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        return "127.0.0.1"

    def get_runtime_endpoint(self) -> str:
        return f"http://127.0.0.1/_localstack_lambda/{self.id}"

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        record = {
            "functionArn": payload["invoked-function-arn"],
            "requestId": payload["invoke-id"],
            "payload": payload["payload"],
        }
        path = recording_file()
        with _write_lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
        return InvocationResult(
            request_id=payload["invoke-id"],
            payload=json.dumps(RESULT).encode(),
            is_error=False,
            logs="",
        )

    def get_logs(self) -> str:
        return ""

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass


class RecordingExecutorPlugin(RuntimeExecutorPlugin):
    """The plux plugin LocalStack finds under the name asyncgw-recording."""

    name = NAME

    def load(self, *args: object, **kwargs: object) -> type[RuntimeExecutor]:
        return RecordingExecutor
