"""Apply benchmark: asyncgw's API calls, time and memory next to the minimum and a naive loop."""

from __future__ import annotations

import argparse
import io
import math
import os
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from asyncgw_sandbox.seed import SeededApi, clients, seed_wide_api
from botocore.exceptions import ClientError
from rich.console import Console

from asyncgw.aws.pacing import ACCOUNT_QUOTA, OPERATION_QUOTAS
from asyncgw.aws.session import CLIENT_CONFIG
from asyncgw.cli import Runtime, run
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.gateway import PAGE_SIZE, Gateway, connect
from asyncgw.rest.plan import (
    CreateValidator,
    PatchIntegration,
    PatchMethod,
    Plan,
    new_validator_id,
)

REGION = "us-east-1"
STAGE = "prod"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
COMMANDS: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "enable-switchable --all --dry-run": ("enable-switchable", "--all", "--dry-run"),
    "enable-switchable --all": ("enable-switchable", "--all", "--yes"),
    "disable --all": ("disable", "--all", "--yes"),
}
MODES = {"enable-switchable": Mode.SWITCHABLE, "disable": Mode.SYNC}
APPLIES = ("enable-switchable --all", "disable --all")


@dataclass
class Run:
    """One command run by one tool: calls sent, answers seen, seconds, peak memory."""

    calls: Counter[str] = field(default_factory=Counter)
    throttled: int = 0  # 429 answers, retried or not
    failed: int = 0  # calls that failed in the end
    seconds: float = 0.0
    peak_bytes: int = 0

    def watch(self, client: Any) -> None:
        """Count every call the client makes and every 429 it receives."""
        client.meta.events.register("before-call.api-gateway", self._call)
        client.meta.events.register("response-received.api-gateway", self._answer)

    def _call(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def _answer(self, response_dict: dict[str, Any] | None = None, **_: Any) -> None:
        if response_dict is not None and response_dict["status_code"] == 429:
            self.throttled += 1


@dataclass
class Row:
    """Everything measured for one API size and one command."""

    methods: int
    command: str
    minimum: int
    runs: dict[str, Run] = field(default_factory=dict)  # "asyncgw off", "naive on", ...


class Sandbox:
    """The emulated account in a child process, so memory figures are asyncgw's alone."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.endpoint_url = self._process.stdout.readline().strip()

    def throttle(self, on: bool) -> None:
        """Enforce the quotas (from full buckets) or stop enforcing them."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write("on\n" if on else "off\n")
        self._process.stdin.flush()
        self._process.stdout.readline()

    def close(self) -> None:
        """Stop the child process."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def serve() -> None:
    """The child: serve the sandbox, switch throttling on or off per line read on stdin."""
    from asyncgw_sandbox import throttling
    from asyncgw_sandbox.server import start

    server = start(port=0)
    print(server.endpoint_url, flush=True)
    for line in sys.stdin:
        if line.strip() == "on":
            throttling.switch_on()
        else:
            throttling.switch_off()
        print("ok", flush=True)
    server.stop()


# asyncgw


def asyncgw_run(sandbox: Sandbox, api_id: str, args: Sequence[str], paced: bool,
                measure_memory: bool = False) -> Run:
    """Run one asyncgw command through its CLI entry point, as a user would."""
    result = Run()

    def gateway(profile: str | None, region: str | None, endpoint: str | None) -> Gateway:
        if paced:
            made = connect(profile, region, endpoint)
        else:  # no pacer: what asyncgw costs when no quota applies
            session = boto3.Session(region_name=region)
            made = Gateway(session.client("apigateway", endpoint_url=endpoint,
                                          config=CLIENT_CONFIG),
                           session=session, endpoint_url=endpoint)
        result.watch(made.client)
        return made

    printed = io.StringIO()
    quiet = Console(file=printed, width=120)
    runtime = Runtime(out=quiet, err=quiet, interactive=lambda: False, connect=gateway)
    argv = [args[0], api_id, *args[1:], "--region", REGION, "--endpoint-url", sandbox.endpoint_url]
    if measure_memory:
        tracemalloc.start()
    started = time.perf_counter()
    code = run(argv, runtime)
    result.seconds = time.perf_counter() - started
    if measure_memory:
        result.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if code != 0:
        raise SystemExit(f"asyncgw {' '.join(argv)} exited {code}:\n{printed.getvalue()}")
    return result


# The naive loop: what a shell loop of AWS CLI commands does, in plain boto3.


class NaiveLoop:
    """GetMethod and GetIntegration per method, then one patch call per changed field."""

    def __init__(self, endpoint_url: str, api_id: str, result: Run) -> None:
        # botocore's defaults, retries included, as the AWS CLI would have them.
        self.client = boto3.client("apigateway", region_name=REGION, endpoint_url=endpoint_url)
        self.api_id = api_id
        self.result = result
        result.watch(self.client)

    def read(self) -> None:
        """List resources as `aws apigateway get-resources` pages them, then read each method."""
        position: str | None = None
        methods: list[tuple[str, str]] = []
        while True:
            page = self._send("get_resources", restApiId=self.api_id,
                              **({"position": position} if position else {})) or {}
            methods += [(r["id"], verb) for r in page.get("items", [])
                        for verb in r.get("resourceMethods", {})]
            position = page.get("position")
            if not position:
                break
        for resource_id, verb in methods:
            address = {"restApiId": self.api_id, "resourceId": resource_id, "httpMethod": verb}
            self._send("get_method", **address)
            self._send("get_integration", **address)

    def apply(self, plan: Plan) -> None:
        """Read everything, then send each field change of the plan as its own call."""
        self.read()
        created: dict[str, str] = {}
        for step in plan.steps:
            address = {"restApiId": self.api_id, "resourceId": getattr(step, "resource_id", ""),
                       "httpMethod": getattr(step, "http_method", "")}
            if isinstance(step, CreateValidator):
                answer = self._send("create_request_validator", restApiId=self.api_id,
                                    name=step.name,
                                    validateRequestBody=step.validate_request_body,
                                    validateRequestParameters=step.validate_request_parameters)
                created[new_validator_id(step.name)] = (answer or {}).get("id", "")
            elif isinstance(step, PatchMethod):
                for op in step.ops:
                    wire = op.wire()
                    if wire.get("value") in created:
                        wire["value"] = created[wire["value"]]
                    self._send("update_method", **address, patchOperations=[wire])
            elif isinstance(step, PatchIntegration):
                for op in step.ops:
                    self._send("update_integration", **address, patchOperations=[op.wire()])
        if plan.deployment is not None:
            self._send("create_deployment", restApiId=self.api_id, stageName=STAGE)

    def _send(self, operation: str, **params: Any) -> dict[str, Any] | None:
        try:
            answer: dict[str, Any] = getattr(self.client, operation)(**params)
            return answer
        except ClientError:
            self.result.failed += 1  # a shell loop goes on to the next command
            return None


def naive_run(sandbox: Sandbox, api_id: str, command: str, throttled: bool) -> Run:
    """Run the naive loop for one command; its plan is worked out beforehand, unthrottled."""
    plan = planned(sandbox, api_id, command)
    sandbox.throttle(throttled)
    result = Run()
    started = time.perf_counter()
    loop = NaiveLoop(sandbox.endpoint_url, api_id, result)
    if plan is None:
        loop.read()
    else:
        loop.apply(plan)
    result.seconds = time.perf_counter() - started
    return result


# Figures


def minimum_calls(resources: int, plan: Plan | None) -> int:
    """Reads: ceil(resources/500) + 3; writes: one per patch step and validator, one deployment."""
    reads = math.ceil(resources / PAGE_SIZE) + 3  # GetRestApi, GetRequestValidators, GetStages
    if plan is None:
        return reads
    return reads + len(plan.steps) + (plan.deployment is not None)


def unavoidable_seconds(calls: Counter[str]) -> float:
    """The least time the quotas allow for these calls, starting from full buckets."""
    limits = [(sum(calls.values()) - ACCOUNT_QUOTA.burst) / ACCOUNT_QUOTA.rate]
    limits += [(calls[name] - quota.burst) / quota.rate
               for name, quota in OPERATION_QUOTAS.items()]
    return max(0.0, *limits)


def restore(sandbox: Sandbox, api_id: str) -> None:
    """Detach and delete validators, so the next tool starts from the API as seeded."""
    sandbox.throttle(False)
    client = clients(REGION, sandbox.endpoint_url).apigateway
    for resource in client.get_resources(restApiId=api_id, embed=["methods"],
                                         limit=PAGE_SIZE)["items"]:
        for verb, method in resource.get("resourceMethods", {}).items():
            if method.get("requestValidatorId"):
                client.update_method(restApiId=api_id, resourceId=resource["id"],
                                     httpMethod=verb, patchOperations=[
                                         {"op": "replace", "path": "/requestValidatorId"}])
    for validator in client.get_request_validators(restApiId=api_id)["items"]:
        client.delete_request_validator(restApiId=api_id, requestValidatorId=validator["id"])


def planned(sandbox: Sandbox, api_id: str, command: str) -> Plan | None:
    """The plan asyncgw makes for a command against the API as it is now (unthrottled)."""
    if command not in APPLIES:
        return None
    sandbox.throttle(False)
    gateway = Gateway(clients(REGION, sandbox.endpoint_url).apigateway)
    wanted = intent.mode_change(api_id, MODES[command.split()[0]], everything=True, stage=STAGE)
    return wanted.plan(intent.read(gateway, api_id))


def measure(sandbox: Sandbox, size: int, throttled: bool) -> list[Row]:
    """Every command on a fresh API of `size` methods, by each tool, throttled and not."""
    note(f"seeding an API with {size} Lambda methods")
    seeded: SeededApi = seed_wide_api(clients(REGION, sandbox.endpoint_url), size,
                                      name=f"wide-{size}")
    api = seeded.api_id
    rows = {command: Row(size, command, 0) for command in COMMANDS}
    passes: list[tuple[str, Callable[[str], Run]]] = [
        ("asyncgw off", lambda c: off(sandbox, api, c, memory=False)),
        ("asyncgw memory", lambda c: off(sandbox, api, c, memory=True)),
        ("naive off", lambda c: naive_run(sandbox, api, c, throttled=False)),
    ]
    if throttled:
        passes += [
            ("asyncgw on", lambda c: on(sandbox, api, c)),
            ("naive on", lambda c: naive_run(sandbox, api, c, throttled=True)),
        ]
    for name, runner in passes:
        note(f"{size} methods: {name}")
        for command, row in rows.items():
            if name == "asyncgw off":  # the minimum for the API as this command finds it
                plan = planned(sandbox, api, command)
                row.minimum = minimum_calls(len(seeded.resource_ids), plan)
                if command == "status":  # what each stage serves takes one export per stage
                    row.minimum += len(seeded.stages)
            row.runs[name] = runner(command)
        restore(sandbox, api)
    return list(rows.values())


def off(sandbox: Sandbox, api: str, command: str, memory: bool) -> Run:
    """asyncgw without a pacer against the unthrottled sandbox."""
    sandbox.throttle(False)
    return asyncgw_run(sandbox, api, COMMANDS[command], paced=False, measure_memory=memory)


def on(sandbox: Sandbox, api: str, command: str) -> Run:
    """asyncgw as shipped (paced) against the throttling sandbox, from full buckets."""
    sandbox.throttle(True)
    return asyncgw_run(sandbox, api, COMMANDS[command], paced=True)


def note(line: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


# Output

HEADER = (
    "| methods | command | asyncgw calls | minimum | naive calls | asyncgw calls by operation "
    "| off: asyncgw s | off: naive s | on: asyncgw s | on: unavoidable s | on: ratio "
    "| on: asyncgw 429s / failed | on: naive s | on: naive 429s / failed | asyncgw peak MiB |"
)


def table(rows: Sequence[Row]) -> str:
    """The markdown table of every row."""
    lines = [HEADER, "| " + " | ".join(["---:", "---", *["---:"] * 3, "---", *["---:"] * 9])
             + " |"]
    lines += [_line(row) for row in rows]
    return "\n".join(lines)


def _line(row: Row) -> str:
    mine, naive = row.runs["asyncgw off"], row.runs["naive off"]
    by_operation = ", ".join(f"{name} {n}" for name, n in sorted(mine.calls.items()))
    cells = [str(row.methods), f"`{row.command}`", str(sum(mine.calls.values())),
             str(row.minimum), str(sum(naive.calls.values())), by_operation,
             f"{mine.seconds:.2f}", f"{naive.seconds:.2f}", *_throttled_cells(row),
             f"{row.runs['asyncgw memory'].peak_bytes / 2**20:.1f}"]
    return "| " + " | ".join(cells) + " |"


def _throttled_cells(row: Row) -> list[str]:
    paced, naive = row.runs.get("asyncgw on"), row.runs.get("naive on")
    if paced is None or naive is None:
        return ["not run"] * 6
    floor = unavoidable_seconds(row.runs["asyncgw off"].calls)
    ratio = f"{paced.seconds / floor:.2f}" if floor >= 1 else "(burst)"
    return [f"{paced.seconds:.2f}", f"{floor:.2f}", ratio,
            f"{paced.throttled} / {paced.failed}", f"{naive.seconds:.2f}",
            f"{naive.throttled} / {naive.failed}"]


INTRO = """\
# Performance: API calls and time under API Gateway's quotas

API Gateway allows each account and region 10 control-plane requests per second (bursts of 40),
GetResources 5 every 2 seconds and CreateDeployment 1 every 5 seconds, shared with every other
tool there. asyncgw reads an API in `ceil(resources/500) + 3` calls whatever its size, writes one
UpdateMethod and one UpdateIntegration per changed method, and paces itself to those quotas,
retrying a throttled call after its `Retry-After`. An apply reads the API three times (to plan,
to check nobody changed it before the first write, to verify) and confirms the stage it deployed:
seven calls above the minimum, whatever the size. `status` also exports each stage once
(GetExport) to show which mode each stage serves; the Lambda calls it makes for the async
targets' failure handling (three per distinct function) go to Lambda's own quotas and are not
counted here.

The table compares, for APIs of {sizes} Lambda methods:

- **asyncgw calls**: requests asyncgw sent (counted with botocore's `before-call` event), next to
  the **minimum** any tool needs and a **naive** loop that, like a script of AWS CLI commands, reads
  each method with GetMethod and GetIntegration and sends one patch per changed field (plain
  boto3, botocore's default retries).
- **off**: seconds against the emulated account with no quota, asyncgw without its pacer: the cost
  of the work itself.
- **on**: seconds against the emulated account enforcing the quotas (429 TooManyRequestsException
  with Retry-After), asyncgw as shipped. Each command starts from full buckets. **unavoidable** is
  the least time the quotas allow for asyncgw's calls, `max((calls - 40) / 10, (GetResources - 5) /
  2.5, (CreateDeployment - 1) / 0.2)`; **ratio** is asyncgw's time over it ("(burst)" when all
  calls fit in the burst). **429s / failed**: throttled answers received, and calls that failed in
  the end. Throttled runs were made for {throttled} methods.
- **peak MiB**: asyncgw's peak traced memory (tracemalloc) during the command; the emulated account
  runs in another process.
"""

RERUN = """\
Rerun with `.venv/bin/python benchmarks/apply.py`: sizes 10, 100 and 1,000, throttled runs for
10 and 100, about 9 minutes on two cores. Choose with `--sizes 10,100` (a quick run) and
`--throttled-sizes 10,100,1000` (throttled runs of 1,000 methods add about 30 minutes, most of it
the naive loop). `--write-docs` rewrites this page.
"""


def main(argv: Sequence[str] | None = None) -> None:
    """Measure, print the markdown table, and optionally write docs/performance.md."""
    options = _parser().parse_args(argv)
    if options.serve:
        serve()
        return
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    sizes, throttled = _sizes(options.sizes), set(_sizes(options.throttled_sizes))
    sandbox = Sandbox()
    started = time.perf_counter()
    try:
        rows = [row for size in sizes for row in measure(sandbox, size, size in throttled)]
    finally:
        sandbox.close()
    note(f"done in {time.perf_counter() - started:.0f} s")
    output = table(rows)
    print(output)
    if options.write_docs:
        names = ", ".join(f"{s:,}" for s in sizes)
        done = ", ".join(f"{s:,}" for s in sizes if s in throttled) or "none of the"
        DOCS.write_text(INTRO.format(sizes=names, throttled=done) + "\n" + output + "\n\n"
                        + RERUN + _kept_sections())


def _kept_sections() -> str:
    """Sections after this benchmark's own (start-up figures), kept when rewriting the page."""
    current = DOCS.read_text() if DOCS.exists() else ""
    start = current.find("\n## Start-up")
    return current[start:] if start >= 0 else ""


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000",
                        help="API sizes in methods, comma-separated (default: 10,100,1000)")
    parser.add_argument("--throttled-sizes", default="10,100",
                        help="sizes also run against the throttling sandbox (default: 10,100; "
                             "add 1000 for about 30 more minutes)")
    parser.add_argument("--write-docs", action="store_true", help=f"also write {DOCS.name}")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    main()
