"""The sandbox's latency: every answer comes late, and calls sent together stay together."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.latency import LATENCY, set_latency
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.server import start

from asyncgw.aws.session import CLIENT_CONFIG
from tests.sandbox.test_server import read_until

LATE = 200  # milliseconds


def timed(call: Callable[[], object], times: int = 1) -> float:
    """Seconds `times` copies of `call` take when all are sent at once, from their own threads."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=times) as pool:
        for done in [pool.submit(call) for _ in range(times)]:
            done.result()
    return time.monotonic() - started


def client(endpoint_url: str | None = None) -> Any:
    return boto3.client("apigateway", region_name="us-east-1", endpoint_url=endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=CLIENT_CONFIG)


def test_the_in_process_account_answers_late_without_serializing_calls() -> None:
    with emulated_account(latency_ms=LATE):
        apigateway = client()
        lambda_ = clients().lambda_
        assert timed(apigateway.get_rest_apis) >= LATE / 1000
        assert timed(lambda_.list_functions) >= LATE / 1000  # every service, not only ours
        # Four at once take one latency, not four.
        assert timed(apigateway.get_rest_apis, 4) < 2 * LATE / 1000
    assert LATENCY.seconds == 0
    with emulated_account():
        assert timed(client().get_rest_apis) < LATE / 1000


def test_the_server_answers_late_without_serializing_calls() -> None:
    with start(port=0, latency_ms=LATE) as server:
        apigateway = client(server.endpoint_url)
        assert timed(apigateway.get_rest_apis) >= LATE / 1000
        assert timed(apigateway.get_rest_apis, 4) < 2 * LATE / 1000
        started = time.monotonic()
        server.reset()  # its own controls answer at once
        assert time.monotonic() - started < LATE / 1000
    assert LATENCY.seconds == 0


def test_a_negative_latency_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more milliseconds"):
        set_latency(-1)


def test_asyncgw_sandbox_serve_latency_says_so_and_answers_late() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "asyncgw", "sandbox", "serve", "--no-seed", "--latency",
         str(LATE)], stdout=subprocess.PIPE, text=True)
    try:
        lines = read_until(process, "Press Ctrl-C", timeout=60).splitlines()
        assert f"Every answer comes {LATE} ms late, as over a network" in lines
        endpoint = next(line.split()[-1] for line in lines if "listening on" in line)
        assert timed(client(endpoint).get_rest_apis) >= LATE / 1000
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_sandbox_serve_refuses_a_negative_latency() -> None:
    done = subprocess.run([sys.executable, "-m", "asyncgw", "sandbox", "serve",
                           "--latency", "-5"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--latency" in done.stderr
