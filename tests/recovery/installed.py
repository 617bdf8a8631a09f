"""The installed CLI run against the sandbox server behind a KillSwitch, and state diffs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asyncgw_sandbox.server import Server

from tests.support.kill_switch import KillSwitch

BIN = Path(sys.executable).parent
ASYNCGW = shutil.which("asyncgw", path=str(BIN)) or "asyncgw"


def run(sandbox: tuple[Server, KillSwitch], env: dict[str, str], journals: Path,
        *args: str, kill: Callable[[int], None] = lambda _: None
        ) -> subprocess.CompletedProcess[str]:
    """The installed CLI against the sandbox; `kill(pid)` arms the switch once it runs."""
    server, _ = sandbox
    process = subprocess.Popen(
        [ASYNCGW, *args, "--endpoint-url", server.endpoint_url, "--journal-dir", str(journals)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True)
    kill(process.pid)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def differences(before: Any, after: Any, where: str = "") -> list[str]:
    """Where two states differ, as 'methods.POST /jobs.integration.requestParameters: a != b'."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [line for key in sorted(before.keys() | after.keys())
                for line in differences(before.get(key), after.get(key), f"{where}.{key}")]
    return [] if before == after else [f"{where}: {before!r} != {after!r}"]
