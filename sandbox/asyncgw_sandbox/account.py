"""The emulated AWS account in this process: moto's `mock_aws` with the sandbox installed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from asyncgw_sandbox.install import install

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@contextmanager
def emulated_account(region: str = "us-east-1", *, throttle: bool = False,
                     latency_ms: float = 0) -> Iterator[None]:
    """Every boto3 client created inside talks to a fresh, empty emulated account.

    With `throttle`, the account enforces API Gateway's quotas (asyncgw_sandbox.throttling);
    with `latency_ms`, every answer comes that many milliseconds late (asyncgw_sandbox.latency).
    """
    from moto import mock_aws

    install()
    missing = {
        name: (region if name == "AWS_DEFAULT_REGION" else value)
        for name, value in FAKE_ENVIRONMENT.items()
        if not os.environ.get(name)
    }
    os.environ.update(missing)
    try:
        with mock_aws(), ExitStack() as quotas:
            if throttle:
                from asyncgw_sandbox.throttling import throttling

                quotas.enter_context(throttling())
            if latency_ms:
                from asyncgw_sandbox.latency import latency

                quotas.enter_context(latency(latency_ms))
            yield
    finally:
        for name in missing:
            os.environ.pop(name, None)
