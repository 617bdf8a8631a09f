"""asyncgw sandbox serve: the emulated account on 127.0.0.1, for running commands by hand."""

from __future__ import annotations

import sys

import click

from asyncgw.cli.options import CONTEXT
from asyncgw.cli.sandbox_check import require_sandbox
from asyncgw.cli.table import short_help


@click.group(context_settings=CONTEXT, short_help=short_help("sandbox"))
def sandbox() -> None:
    """The emulated AWS account (moto plus asyncgw's API Gateway additions).

    \b
    Example:
      asyncgw sandbox serve --port 4566
    """


@sandbox.command(context_settings=CONTEXT)
@click.option("--port", type=int, default=0, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--no-seed", is_flag=True, help="Start empty instead of with the sample APIs.")
@click.option("--throttle", is_flag=True, help="Enforce API Gateway's control-plane quotas "
              "and answer 429 with Retry-After, as AWS does.")
@click.option("--latency", type=click.FloatRange(min=0), default=0, metavar="MS",
              help="Answer every request MS milliseconds late, as over a network (calls sent "
              "together still overlap).")
def serve(port: int, no_seed: bool, throttle: bool, latency: float) -> None:
    """Serve an emulated AWS account on 127.0.0.1 until Ctrl-C.

    Prints the endpoint URL (use it as --endpoint-url or AWS_ENDPOINT_URL) and the ids of
    the sample APIs (the REST API "orders", the HTTP API "events"), so every command can be
    run by hand.

    \b
    Example:
      asyncgw sandbox serve --port 4566
      asyncgw status orders --endpoint-url http://127.0.0.1:4566
    """
    require_sandbox("the sandbox is not installed")
    from asyncgw_sandbox.__main__ import main as serve_sandbox

    sys.exit(serve_sandbox(["--port", str(port), *([] if no_seed else ["--seed"]),
                            *(["--throttle"] if throttle else []),
                            *(["--latency", f"{latency:g}"] if latency else [])]))
