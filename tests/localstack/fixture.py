"""One LocalStack for the whole test session, started on first use and stopped at the end.

Imported by tests/conftest.py, so that every test folder shares the same one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.localstack.runtime import LocalStack, LocalStackUnavailable, start


@pytest.fixture(scope="session")
def localstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A running LocalStack; a test that needs it fails (never skips) when it cannot start."""
    try:
        running = start(Path(tmp_path_factory.mktemp("localstack")))
    except LocalStackUnavailable as why:
        pytest.fail(f"LocalStack is needed for this test: {why}")
    try:
        yield running
    finally:
        running.stop()
