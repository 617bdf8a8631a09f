"""--trace FILE: on every command that calls AWS, cheap for --help, exit 2 when unwritable."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import click
from asyncgw_sandbox.seed import clients, seed_orders_api
from asyncgw_sandbox.server import start

from asyncgw.cli import cli
from tests.trace.replay import Trace, environment, replay

BIN = Path(sys.executable).parent
AWS_COMMANDS = {"status", "list", "advise", "enable-async", "enable-switchable", "disable",
                "verify", "redeploy", "export", "recover", "promote", "cancel-canary", "apply"}


def _asyncgw(*args: str, max_file_bytes: int | None = None
             ) -> subprocess.CompletedProcess[str]:
    found = shutil.which("asyncgw", path=str(BIN))
    assert found, "asyncgw is not installed"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

    def limit_file_size() -> None:
        if max_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails, EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([found, *args], env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, preexec_fn=limit_file_size)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_every_command_that_calls_aws_takes_trace_and_no_other_does() -> None:
    def options(command: click.Command) -> set[str]:
        return {o for p in command.params if isinstance(p, click.Option) for o in p.opts}

    takes = {name for name, command in cli.commands.items() if "--trace" in options(command)}
    assert takes == AWS_COMMANDS
    calls_aws = {name for name, command in cli.commands.items()
                 if "--endpoint-url" in options(command)}
    assert calls_aws == AWS_COMMANDS
    help_text = _asyncgw("status", "--help").stdout
    assert "account ids and resource names are kept; credentials are never written" in " ".join(
        help_text.split())


def test_help_does_not_import_the_recorder() -> None:
    probe = ("import sys\nfrom asyncgw.cli import run\n"
             "for args in (['--help'], ['status', '--help'], ['verify', '--help']):\n"
             "    assert run(args) == 0\n"
             "print('asyncgw.aws.trace' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_trace_file_that_cannot_be_created_is_exit_2_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "trace.jsonl"
    done = _asyncgw("status", "orders", "--region", "us-east-1", "--endpoint-url",
                    f"http://127.0.0.1:{_closed_port()}", "--trace", str(missing))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Error: cannot write the trace file {missing}: No such file or directory"]
    assert done.stdout == ""


def test_a_trace_file_that_cannot_be_written_is_exit_2_in_one_line() -> None:
    done = _asyncgw("redeploy", "orders", "--region", "us-east-1", "--trace", "/dev/full")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "Error: cannot write the trace file /dev/full: No space left on device"]


def test_a_trace_file_that_fills_up_midway_is_a_warning_after_the_command(tmp_path: Path
                                                                          ) -> None:
    path = tmp_path / "trace.jsonl"
    with start(port=0) as server:
        server.reset()  # the emulated account is one per process, shared with other servers
        seed_orders_api(clients("us-east-1", server.endpoint_url))
        done = _asyncgw("status", "orders", "--region", "us-east-1", "--endpoint-url",
                        server.endpoint_url, "--trace", str(path), max_file_bytes=4096)
    assert done.returncode == 0  # the command's own outcome: it may have changed the API
    assert "POST /orders/{id}/ship" in done.stdout  # the command itself was not cut short
    assert done.stderr.splitlines() == [
        f"Warning: the trace file {path} is incomplete: File too large (the command itself "
        "ran to its end)"]
    assert Trace.load(path).header["command"] == "asyncgw status"


def test_the_trace_is_readable_by_its_owner_only_and_says_what_ran(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    done = _asyncgw("status", "orders", "--stage", "prod", "--region", "eu-west-1",
                    "--endpoint-url", f"http://127.0.0.1:{_closed_port()}", "--trace", str(path))
    assert done.returncode == 2, done.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    header = Trace.load(path).header
    assert header["command"] == "asyncgw status"
    assert header["options"]["api"] == "orders"
    assert header["options"]["region"] == "eu-west-1"
    assert "trace" not in header["options"]


def test_a_connection_error_is_recorded_and_replays(tmp_path: Path) -> None:
    path = tmp_path / "unreachable.jsonl"
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    args = ["status", "orders", "--region", "us-east-1", "--endpoint-url", endpoint]
    done = _asyncgw(*args, "--trace", str(path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Error: cannot reach {endpoint}/restapis?limit=500: check --endpoint-url, --region "
        "and your network"]
    calls = Trace.load(path).calls
    assert calls, "no call was recorded"
    assert all(c["status"] is None and c["exception"]["type"] == "EndpointConnectionError"
               and c["operation"] == "GetRestApis" for c in calls)
    with environment({}):
        replayed = replay(path, args)
    assert replayed.problems == []
    assert (replayed.code, replayed.err) == (done.returncode, done.stderr)
    assert json.loads(path.read_text().splitlines()[0])["trace"] == 1
