"""asyncgw demo: every command played against an emulated account (the sandbox extra)."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT
from asyncgw.cli.sandbox_check import require_sandbox
from asyncgw.cli.table import short_help


@click.command(context_settings=CONTEXT, short_help=short_help("demo"))
@click.pass_context
def demo(ctx: click.Context, /) -> None:
    """Run every command against an emulated AWS account, with no AWS account or network.

    Seeds a sample "orders" REST API with a few days of CloudWatch figures, then shows
    advise ranking its methods, status, a dry run, applying, switching modes, a saved plan
    applied later, a canary rollout promoted, disabling and redeploying; then a sample
    "events" HTTP API going async through a forwarder. Each command is shown as you would
    type it.

    \b
    Example:
      asyncgw demo
    """
    require_sandbox("asyncgw demo needs the sandbox")
    from asyncgw.cli.app import run
    from asyncgw.cli.demo import play
    from asyncgw.cli.running import runtime
    from asyncgw.cli.runtime import Runtime

    shown = runtime(ctx)
    # One stream, so progress and errors appear in story order even when piped to a file.
    story = Runtime(shown.out, shown.out, shown.interactive, shown.connect)
    code = play(shown.out.print, lambda args: run(args, story))
    if code:
        ctx.exit(code)
