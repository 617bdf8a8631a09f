"""The installed `asyncgw advise` as a subprocess against the sandbox server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from asyncgw_sandbox.seed import clients, seed_orders_api
from asyncgw_sandbox.server import Server, start

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with start(port=0) as running:
        running.reset()
        yield running


def test_advise_names_the_slow_method_first_and_traces_its_cloudwatch_call(
        server: Server, tmp_path: Path) -> None:
    api = seed_orders_api(clients("us-east-1", server.endpoint_url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1", NO_COLOR="1")
    trace = tmp_path / "advise.jsonl"
    done = subprocess.run([ASYNCGW, "advise", "orders", "--stage", "prod", "--output", "json",
                           "--endpoint-url", server.endpoint_url, "--trace", str(trace)],
                          env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["api"]["id"] == api.api_id and report["getMetricDataCalls"] == 1
    first = report["methods"][0]
    assert (first["method"], first["evidence"]) == ("PUT /orders/{id}", "strong")
    assert first["figures"]["integrationLatencyP99Millis"] == 27900.0
    assert first["command"] == (f"asyncgw enable-switchable {api.api_id} -m "
                                f"'PUT /orders/{{id}}' --stage prod --endpoint-url "
                                f"{server.endpoint_url}")
    operations = [json.loads(line).get("operation") for line in trace.read_text().splitlines()]
    assert operations.count("GetMetricData") == 1
