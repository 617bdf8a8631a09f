"""The installed `asyncgw` as a CI job runs it: --exit-code's codes, --out, then apply FILE."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from asyncgw_sandbox.seed import SeededApi, clients, seed_orders_api
from asyncgw_sandbox.server import Server, start

BIN = Path(sys.executable).parent


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


def asyncgw(server: Server, env: dict[str, str], cwd: Path, *args: str
            ) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("asyncgw", path=str(BIN)) or shutil.which("asyncgw")
    assert tool, "asyncgw is not installed"
    return subprocess.run([tool, *args, "--endpoint-url", server.endpoint_url], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_the_ci_workflow_through_the_installed_command(
        server: Server, env: dict[str, str], api: SeededApi, tmp_path: Path) -> None:
    change = ("enable-async", api.api_id, "-m", "GET /orders", "--stage", "prod")

    pending = asyncgw(server, env, tmp_path, *change, "--dry-run", "--exit-code")
    assert pending.returncode == 3, pending.stderr
    assert pending.stderr == ""

    planned = asyncgw(server, env, tmp_path, *change, "--out", "plan.json", "--exit-code")
    assert planned.returncode == 3, planned.stderr
    assert "Saved the plan to plan.json" in planned.stdout
    assert json.loads((tmp_path / "plan.json").read_text())["format"] == "asyncgw-plan"

    shown = asyncgw(server, env, tmp_path, "apply", "plan.json", "--dry-run", "--exit-code")
    assert shown.returncode == 3, shown.stderr

    applied = asyncgw(server, env, tmp_path, "apply", "plan.json", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "now async" in applied.stdout

    done = asyncgw(server, env, tmp_path, *change, "--dry-run", "--exit-code")
    assert done.returncode == 0, done.stderr
    empty = asyncgw(server, env, tmp_path, *change, "--out", "empty.json", "--exit-code")
    assert empty.returncode == 0, empty.stderr
    assert (tmp_path / "empty.json").exists()

    stale = asyncgw(server, env, tmp_path, "apply", "plan.json", "--yes")
    assert stale.returncode == 2
    assert "changed since the plan was saved: method GET /orders changed" in stale.stderr

    usage = asyncgw(server, env, tmp_path, *change, "--exit-code")
    assert usage.returncode == 2
    assert "--exit-code says whether a plan has changes" in usage.stderr
