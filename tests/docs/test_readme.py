"""The README matches CI, exit codes and IAM calls, and its sandbox commands work."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import Clients, clients, seed_orders_api
from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api
from asyncgw_sandbox.server import Server, start

from asyncgw.core.errors import ExitCode
from asyncgw.iam_policy import policy
from tests.docs import clirun
from tests.docs.clirun import placeholders, shows
from tests.docs.markdown import (
    DOCS,
    README,
    ROOT,
    Block,
    blocks,
    expected_exit,
    section,
    table_rows,
)

BIN = Path(sys.executable).parent
README_ENDPOINT = "http://127.0.0.1:4566"
TEXT = README.read_text(encoding="utf-8")
SANDBOX_BLOCKS = [b for b in blocks(TEXT) if b.marker == "sandbox"]
SERVE_BLOCKS = [b for b in blocks(TEXT) if b.marker == "sandbox-serve"]


# (a) CI runs the README's test command verbatim.


def test_readme_test_command_is_a_line_of_ci_run() -> None:
    shell_blocks = [b for b in blocks(TEXT) if b.info == "sh"]
    test_command = shell_blocks[1].body.strip()
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines, f".ci/run does not run {test_command!r} verbatim"


# (c) Every exit code is documented, and nothing else is.


@pytest.mark.parametrize("page", [README, DOCS / "commands.md"], ids=lambda p: p.name)
def test_exit_code_table_lists_every_exit_code(page: Path) -> None:
    rows = table_rows(section(page.read_text(encoding="utf-8"), "## Exit codes"))
    documented = [int(row[0]) for row in rows]
    assert sorted(documented) == sorted(code.value for code in ExitCode)


# The IAM tables and the sample policy cover every call gateway.py and functions.py make, and
# only those.


def _operations(path: Path, service: str) -> list[str]:
    """Every string literal in the module that names an operation of the service."""
    source = path.read_text(encoding="utf-8")
    names = botocore.session.get_session().get_service_model(service).operation_names
    return sorted(set(re.findall(r'"(\w+)"', source)) & set(names))


def _gateway_calls() -> dict[str, tuple[str, str]]:
    """Operation name -> (HTTP verb, IAM resource path) for every AWS call in gateway.py.

    Operations are named as strings (self._apigateway.call("GetStage", ...), the Put and
    Delete pairs of set_part); for apigatewayv2, the strings that name none of apigateway's.
    """
    source = ROOT / "asyncgw" / "rest" / "gateway.py"
    session = botocore.session.get_session()
    calls: dict[str, tuple[str, str]] = {}
    wanted = [("apigateway", name) for name in _operations(source, "apigateway")]
    rest = {name for _, name in wanted}
    wanted += [("apigatewayv2", name) for name in _operations(source, "apigatewayv2")
               if name not in rest]
    for service, name in wanted:
        http = session.get_service_model(service).operation_model(name).http
        path = str(http["requestUri"]).split("?")[0].removeprefix("/v2")
        path = path.replace("{restapi_id}", "API_ID")
        calls[name] = (http["method"], re.sub(r"\{[^}]+\}", "*", path))
    return calls


def _function_calls() -> list[str]:
    """The Lambda operations functions.py calls on the functions REST API methods invoke."""
    return _operations(ROOT / "asyncgw" / "rest" / "functions.py", "lambda")


def _rest_iam_text() -> str:
    """The IAM section up to its first subsection (target functions, then HTTP APIs)."""
    iam = section(TEXT, "## IAM permissions")
    return iam.split("\n### ", 1)[0]


def test_iam_table_matches_the_calls_asyncgw_makes() -> None:
    calls = _gateway_calls()
    assert {"UpdateMethod", "UpdateIntegration", "CreateDeployment", "GetApis"} <= set(calls)
    rows = table_rows(_rest_iam_text())
    documented = {row[2]: (row[0], row[1]) for row in rows}
    assert set(documented) == set(calls), "IAM table rows differ from gateway.py's calls"
    for name, (verb, path) in calls.items():
        assert documented[name] == (f"`apigateway:{verb}`", f"`{path}`"), name


def test_function_iam_table_matches_the_lambda_calls_asyncgw_makes() -> None:
    calls = _function_calls()
    assert {"GetFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig"} <= set(calls)
    text = section(TEXT, "### Target functions")
    rows = table_rows(text)
    documented = {row[1]: row[0] for row in rows}
    assert set(documented) == set(calls), "the table differs from functions.py's Lambda calls"
    assert all(documented[name] == f"`lambda:{name}`" for name in calls)
    rest = policy("API_ID", "REGION", "ACCOUNT", http=False)["Statement"]
    statements = [s for s in rest if any(a.startswith("lambda:") for a in s["Action"])]
    assert {f"`{s['Sid']}`" for s in statements} <= set(re.findall(r"`Asyncgw\w+`", text))
    assert all(s["Resource"] == ["arn:aws:lambda:REGION:ACCOUNT:function:*"] for s in statements)
    assert "`arn:aws:lambda:REGION:ACCOUNT:function:*`" in text


# The HTTP API table is the policy's AsyncgwHttp statements, which tests/export/test_iam_policy.py
# checks against asyncgw.http's calls.

_SHORT = (  # the prefixes the README leaves out of a resource, as it says above the table
    "arn:aws:apigateway:REGION::",
    "arn:aws:lambda:REGION:ACCOUNT:",
    "arn:aws:iam::ACCOUNT:",
)


def _http_statements() -> list[dict[str, Any]]:
    document = policy("API_ID", "REGION", "ACCOUNT")
    return [s for s in document["Statement"] if s["Sid"].startswith("AsyncgwHttp")]


def _short(resource: str) -> str:
    for prefix in _SHORT:
        resource = resource.removeprefix(prefix)
    return resource


def _grants(statements: list[dict[str, Any]]) -> set[tuple[str, str]]:
    pairs = set()
    for statement in statements:
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            pairs |= {(action, _short(r)) for r in statement["Resource"]}
    return pairs


def test_http_iam_table_is_the_policys_http_statements() -> None:
    http = section(TEXT, "### HTTP APIs")
    iam = section(TEXT, "## IAM permissions")
    assert all(f"`{prefix}`" in iam for prefix in _SHORT), "the README names other prefixes"
    documented = set()
    for row in table_rows(http):
        actions = re.findall(r"`([^`]+)`", row[0])
        resources = re.findall(r"`([^`]+)`", row[1])
        assert actions and resources, row
        documented |= {(a, r) for a in actions for r in resources}
    assert documented == _grants(_http_statements())
    for statement in _http_statements():
        for value in statement.get("Condition", {}).get("StringEquals", {}).values():
            rows = [r for r in table_rows(http) if any(a in r[0] for a in statement["Action"])]
            assert rows and all(value in r[2] for r in rows), (statement["Sid"], value)
    assert "`AsyncgwHttp`" in http


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_sample_policy_allows_every_call() -> None:
    policy_block = next(b for b in blocks((DOCS / "index.md").read_text(encoding="utf-8"))
                        if b.info == "json")
    allowed = set()
    functions = set()
    for statement in json.loads(policy_block.body)["Statement"]:
        for action in _listed(statement["Action"]):
            for resource in _listed(statement["Resource"]):
                if action.startswith("lambda:"):
                    # Any function: the targets are the user's, named anyhow.
                    assert resource.endswith(":function:*"), resource
                    functions.add(action.removeprefix("lambda:"))
                    continue
                path = resource.split("::", 1)[1].replace("a1b2c3d4e5", "API_ID")
                allowed.add((action.removeprefix("apigateway:"), path))
    missing = {name: call for name, call in _gateway_calls().items() if call not in allowed}
    assert not missing, f"docs/index.md's policy lacks {missing}"
    lacking = set(_function_calls()) - functions
    assert not lacking, f"docs/index.md's policy lacks lambda:{lacking}"


# (d) The README's sandbox commands run as written.


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with start(port=0) as running:
        # moto's accounts live in the process: drop what earlier test modules left there.
        running.reset()
        seed_sandbox(clients("us-east-1", running.endpoint_url))
        yield running


def seed_sandbox(c: Clients) -> None:
    """What `asyncgw sandbox serve` seeds: the REST API orders and the HTTP API events."""
    seed_orders_api(c)
    seed_sample_http_api(http_api_clients(c))


def _environment(tmp: Path) -> dict[str, str]:
    """No AWS settings from the machine: the README's own exports must be enough."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        AWS_CONFIG_FILE=str(tmp / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        NO_COLOR="1",
    )
    return env


def _exports_before(block: Block) -> list[str]:
    """`export` lines of the sandbox blocks above this one, as a reader would have run them."""
    return [c for b in SANDBOX_BLOCKS if b.line < block.line for c in b.commands
            if c.startswith("export ")]


def test_readme_has_sandbox_examples() -> None:
    assert len(SANDBOX_BLOCKS) >= 4
    assert len(SERVE_BLOCKS) == 1


@pytest.mark.parametrize("block", SANDBOX_BLOCKS, ids=lambda b: f"line{b.line}")
def test_sandbox_block_runs(block: Block, server: Server, tmp_path: Path) -> None:
    env = _environment(tmp_path)
    exports = _exports_before(block)
    for command in block.commands:
        if command.startswith("export "):
            exports.append(command)
        else:
            assert README_ENDPOINT in command, f"{command!r} would leave the sandbox"
        script = "\n".join([*exports, command.replace(README_ENDPOINT, server.endpoint_url)])
        done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                              timeout=120, stdin=subprocess.DEVNULL, cwd=tmp_path)
        output = done.stdout + done.stderr
        assert done.returncode == expected_exit(command), f"$ {command}\n{output}"
        assert "Traceback" not in output, f"$ {command}\n{output}"


def test_readme_outputs_are_what_the_commands_print() -> None:
    # The text block after a sandbox block shows what its last command prints: run the
    # story in process and compare, ids and stage dates aside, with '...' marking lines left out.
    elision = re.compile(r"\.\.\.")
    readme_blocks = blocks(TEXT)
    compared = 0
    with emulated_account():
        seed_sandbox(clients())
        for index, block in enumerate(readme_blocks):
            if block.marker != "sandbox":
                continue
            out = ""
            for command in block.commands:
                if command.startswith("export "):
                    continue
                words = shlex.split(command, comments=True)
                at = words.index("--endpoint-url")
                code, out, err = clirun.asyncgw(shlex.join(words[:at] + words[at + 2:]))
                assert code == expected_exit(command), f"$ {command}\n{out}{err}"
            following = readme_blocks[index + 1] if index + 1 < len(readme_blocks) else None
            if following is not None and following.info == "text" and following.marker is None:
                shown, printed = placeholders(following.body), placeholders(out)
                assert shows(shown, printed, elision), f"{block.commands}\n{out}"
                compared += 1
    assert compared >= 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _lines(stream: Iterator[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def test_sandbox_serve_command_serves_and_stops(tmp_path: Path) -> None:
    (command,) = SERVE_BLOCKS[0].commands
    port = README_ENDPOINT.rsplit(":", 1)[1]
    assert f"--port {port}" in command, "the README serves on another port than it uses"
    command = command.replace(f"--port {port}", f"--port {_free_port()}")
    serving = subprocess.Popen(["bash", "-c", command], env=_environment(tmp_path), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    assert serving.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(serving.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while not any("Press Ctrl-C" in line for line in seen):
            seen.append(lines.get(timeout=60))
    finally:
        if serving.poll() is None:
            os.killpg(serving.pid, signal.SIGINT)
        code = serving.wait(timeout=30)
    output = "".join(seen)
    assert 'Seeded REST API "orders"' in output
    assert 'Seeded HTTP API "events"' in output
    assert code == 0, output
