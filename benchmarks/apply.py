"""Apply benchmark: asyncgw's API calls, time and memory next to the minimum and a naive loop,
and its applies under the quotas with and without network latency, several calls in flight or
one at a time."""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
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
    failed: int = 0  # calls that failed in the end (asyncgw: error answers other than 429)
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
        elif response_dict is not None and response_dict["status_code"] >= 400:
            self.failed += 1


@dataclass
class Row:
    """Everything measured for one API size and one command."""

    methods: int
    command: str
    minimum: int
    runs: dict[str, Run] = field(default_factory=dict)  # "asyncgw off", "naive off", ...


@dataclass
class Paced:
    """One paced apply against the throttling sandbox: its size, latency and calls in flight."""

    methods: int
    latency_ms: int
    in_flight: int
    run: Run


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
        self._say("on" if on else "off")

    def delay(self, milliseconds: int) -> None:
        """Answer every request `milliseconds` late from now on (0: at once)."""
        self._say(f"latency {milliseconds}")

    def _say(self, line: str) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()
        self._process.stdout.readline()

    def close(self) -> None:
        """Stop the child process."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def serve() -> None:
    """The child: serve the sandbox; throttling on or off, or a latency, per line on stdin."""
    from asyncgw_sandbox import throttling
    from asyncgw_sandbox.server import start

    server = start(port=0)
    print(server.endpoint_url, flush=True)
    for line in sys.stdin:
        if line.startswith("latency "):
            server.delay(float(line.split()[1]))
        elif line.strip() == "on":
            throttling.switch_on()
        else:
            throttling.switch_off()
        print("ok", flush=True)
    server.stop()


# asyncgw


def asyncgw_run(sandbox: Sandbox, api_id: str, args: Sequence[str], paced: bool,
                measure_memory: bool = False, in_flight: int = 4) -> Run:
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
    argv = [args[0], api_id, *args[1:], "--region", REGION, "--endpoint-url", sandbox.endpoint_url,
            "--max-in-flight", str(in_flight)]
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


def measure(sandbox: Sandbox, size: int, throttled: bool
            ) -> tuple[list[Row], list[Paced]]:
    """Every command on a fresh API of `size` methods by each tool; the paced applies too."""
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
    paced = [paced_apply(sandbox, api, size, latency, in_flight)
             for latency in LATENCIES for in_flight in IN_FLIGHT] if throttled else []
    return list(rows.values()), paced


LATENCIES = (0, 150)  # milliseconds added to every answer
IN_FLIGHT = (4, 1)  # asyncgw's default, and one call at a time (before #17)
PACED = "enable-switchable --all"


def paced_apply(sandbox: Sandbox, api: str, size: int, latency: int, in_flight: int) -> Paced:
    """`enable-switchable --all`, paced, against the throttling sandbox with `latency`."""
    note(f"{size} methods: paced, {latency} ms, {in_flight} in flight")
    sandbox.delay(latency)
    sandbox.throttle(True)
    run = asyncgw_run(sandbox, api, COMMANDS[PACED], paced=True, in_flight=in_flight)
    sandbox.delay(0)
    off(sandbox, api, "disable --all", memory=False)  # back to the API as seeded
    restore(sandbox, api)
    return Paced(size, latency, in_flight, run)


def off(sandbox: Sandbox, api: str, command: str, memory: bool) -> Run:
    """asyncgw without a pacer against the unthrottled sandbox."""
    sandbox.throttle(False)
    return asyncgw_run(sandbox, api, COMMANDS[command], paced=False, measure_memory=memory)


def note(line: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


# Output

HEADER = (
    "| methods | command | asyncgw calls | minimum | naive calls | asyncgw calls by operation "
    "| asyncgw s | naive s | asyncgw peak MiB |"
)


def table(rows: Sequence[Row]) -> str:
    """The markdown table of every row, unthrottled."""
    lines = [HEADER, "| " + " | ".join(["---:", "---", *["---:"] * 3, "---", *["---:"] * 3])
             + " |"]
    lines += [_line(row) for row in rows]
    return "\n".join(lines)


def _line(row: Row) -> str:
    mine, naive = row.runs["asyncgw off"], row.runs["naive off"]
    by_operation = ", ".join(f"{name} {n}" for name, n in sorted(mine.calls.items()))
    cells = [str(row.methods), f"`{row.command}`", str(sum(mine.calls.values())),
             str(row.minimum), str(sum(naive.calls.values())), by_operation,
             f"{mine.seconds:.2f}", f"{naive.seconds:.2f}",
             f"{row.runs['asyncgw memory'].peak_bytes / 2**20:.1f}"]
    return "| " + " | ".join(cells) + " |"


PACED_HEADER = (
    "| methods | latency ms | calls | quota floor s | N=4: asyncgw s | N=4: ratio "
    "| N=4: 429s / failed | N=1: asyncgw s | N=1: ratio | N=1: 429s / failed | peak MiB |"
)


def paced_table(paced: Sequence[Paced], rows: Sequence[Row]) -> str:
    """`enable-switchable --all` under the quotas: N=4 and N=1 side by side per latency."""
    memory = {row.methods: row.runs["asyncgw memory"].peak_bytes for row in rows
              if row.command == PACED}
    lines = [PACED_HEADER, "| " + " | ".join(["---:"] * 11) + " |"]
    runs = {(p.methods, p.latency_ms, p.in_flight): p.run for p in paced}
    for methods, latency in dict.fromkeys((p.methods, p.latency_ms) for p in paced):
        many, one = runs[(methods, latency, 4)], runs[(methods, latency, 1)]
        floor = unavoidable_seconds(many.calls)
        cells = [f"{methods:,}", str(latency), str(sum(many.calls.values())), f"{floor:.1f}"]
        for timed in (many, one):
            ratio = f"{timed.seconds / floor:.2f}" if floor >= 1 else "(burst)"
            cells += [f"{timed.seconds:.1f}", ratio, f"{timed.throttled} / {timed.failed}"]
        cells.append(f"{memory[methods] / 2**20:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Measure, print the markdown tables (and the machine), optionally write them to a file."""
    options = _parser().parse_args(argv)
    if options.serve:
        serve()
        return
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    if options.quick:
        options.sizes, options.throttled_sizes = "10,100", "100"
    sizes, throttled = _sizes(options.sizes), set(_sizes(options.throttled_sizes))
    sandbox = Sandbox()
    started = time.perf_counter()
    rows: list[Row] = []
    paced: list[Paced] = []
    try:
        for size in sizes:
            found, applies = measure(sandbox, size, size in throttled)
            rows += found
            paced += applies
    finally:
        sandbox.close()
    seconds = time.perf_counter() - started
    note(f"done in {seconds:.0f} s")
    output = (f"{machine()}; the whole run took {seconds / 60:.1f} minutes.\n\n"
              f"Unthrottled:\n\n{table(rows)}\n\nUnder the quotas, `{PACED}`:\n\n"
              f"{paced_table(paced, rows)}\n")
    print(output)
    if options.out:
        Path(options.out).write_text(output, encoding="utf-8")


def machine() -> str:
    """The machine the figures come from: CPUs, Python, platform."""
    return (f"Measured on {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()} "
            f"{platform.release()}), Python {platform.python_version()}")


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000",
                        help="API sizes in methods, comma-separated (default: 10,100,1000)")
    parser.add_argument("--throttled-sizes", default="10,100,1000",
                        help="sizes whose enable-switchable --all also runs under the quotas, "
                             "with 0 and 150 ms of latency, 4 and 1 calls in flight "
                             "(default: 10,100,1000)")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 10 and 100, only 100 under the quotas (a few minutes)")
    parser.add_argument("--out", metavar="FILE", help="also write the tables to FILE")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    main()
