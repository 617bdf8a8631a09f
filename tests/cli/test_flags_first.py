"""Flag errors come before any AWS call: no credentials and an endpoint nothing listens on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")
NOWHERE = ("--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")


@pytest.mark.parametrize(("args", "message"), [
    (("enable-async", "a1b2c3d4e5"), "choose methods with -m"),
    (("enable-switchable", "a1b2c3d4e5", "-m", "POST /a", "--all"), "choose methods with -m"),
    (("disable", "a1b2c3d4e5", "--all", "--stage", "prod", "--no-deploy"),
     "--stage and --no-deploy contradict each other"),
])
def test_a_flag_error_is_reported_before_connecting(args: tuple[str, ...], message: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([ASYNCGW, *args, *NOWHERE], env={**env, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [done.stderr.strip()], done.stderr
    assert message in done.stderr
    assert "cannot reach" not in done.stderr and "credentials" not in done.stderr


@pytest.mark.parametrize("args", [
    ("enable-async", "a1b2c3d4e5"),
    ("disable", "a1b2c3d4e5", "--all", "--stage", "prod", "--no-deploy"),
    ("verify", "a1b2c3d4e5"),
])
def test_a_flag_error_is_reported_before_boto3_loads(args: tuple[str, ...]) -> None:
    # The usage error answers at once: checking the flags needs neither boto3 nor the backends.
    probe = ("import sys; sys.argv = ['asyncgw', *sys.argv[1:]]\n"
             "from asyncgw.cli import main\n"
             "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
             "print(code, sorted(m for m in ('boto3', 'botocore', 'asyncgw.library')"
             " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, env={"NO_COLOR": "1", "PATH": ""})
    assert done.stdout.strip() == "2 []", done.stderr
