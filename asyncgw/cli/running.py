"""What command bodies share once they run: the runtime, the account, JSON, show-then-apply."""

from __future__ import annotations

import contextlib
import json
import shlex

import click

from asyncgw.cli.options import AwsOptions
from asyncgw.cli.runtime import Runtime, default_runtime
from asyncgw.core.backend import ChangePlan
from asyncgw.core.errors import ExitCode, UsageError
from asyncgw.library import Account


def runtime(ctx: click.Context) -> Runtime:
    """The runtime the command line was started with (the real terminal unless injected)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = default_runtime()
    found: Runtime = root.obj
    return found


def account(ctx: click.Context, aws: AwsOptions, journal_dir: str | None = None) -> Account:
    """The account the AWS options name, through the runtime's connect when one is injected."""
    return Account(profile=aws.profile, region=aws.region, endpoint_url=aws.endpoint_url,
                   max_rps=aws.max_rps, max_in_flight=aws.max_in_flight,
                   connect=runtime(ctx).connect, journal_dir=journal_dir)


def print_json(ctx: click.Context, data: object) -> None:
    """One JSON object on stdout."""
    runtime(ctx).out.out(json.dumps(data, indent=2, default=str), highlight=False)


def show_and_apply(ctx: click.Context, plan: ChangePlan, *, dry_run: bool, yes: bool,
                   as_json: bool, saved_to: str | None = None, exit_code: bool = False,
                   again: str = "the same command without --dry-run") -> None:
    """Show the plan; unless a dry run, saved or empty, confirm, apply, and say what is live.

    `saved_to` is the file --out wrote the plan to; with `exit_code` a plan that is only
    shown ends the command with exit 3 when it has changes. `again` is what applies it.
    """
    out = runtime(ctx)
    if not as_json:
        out.out.print(plan.text)
    if saved_to is not None:
        _saved(ctx, plan, saved_to, as_json)
    elif dry_run and not plan.is_empty and not as_json:
        out.out.print(f"Dry run: nothing was changed. Run {again} to apply.")
    if dry_run or saved_to is not None or plan.is_empty:
        if as_json and saved_to is None:
            print_json(ctx, {**plan.data, "applied": False})
        if exit_code and not plan.is_empty:
            ctx.exit(ExitCode.PENDING)
        return
    _confirm(out, plan, yes)
    done = plan.apply(lambda line: progress(out, line))
    if as_json:
        print_json(ctx, {**plan.data, "applied": True, **done.data})
    else:
        out.out.print(done.text)


def _saved(ctx: click.Context, plan: ChangePlan, path: str, as_json: bool) -> None:
    """Say where the plan was saved and how to apply it (applying an empty one only checks)."""
    if as_json:
        print_json(ctx, {**plan.data, "applied": False, "savedTo": path})
        return
    then = ("checks that the API is still as read" if plan.is_empty
            else "applies exactly this plan, or refuses if the API changed meanwhile")
    runtime(ctx).out.print(f"Saved the plan to {path}: nothing was changed. "
                           f"asyncgw apply {shlex.quote(path)} {then}.", markup=False,
                           highlight=False)


def progress(out: Runtime, line: str) -> None:
    """One progress line on stderr; a closed stderr is no reason to undo the apply."""
    with contextlib.suppress(OSError):
        out.err.print(f"  {line}", style="dim", markup=False)


def _confirm(out: Runtime, plan: ChangePlan, yes: bool) -> None:
    target = f" and deploy stage {plan.deploys}" if plan.deploys else ""
    confirm(out, yes, f"Apply these changes to {plan.api_id}{target}?")


def confirm(out: Runtime, yes: bool, question: str) -> None:
    """Ask `question` on the terminal unless --yes; no terminal and no --yes refuses."""
    if yes:
        return
    if not out.interactive():
        raise UsageError("no terminal to confirm on and no --yes: nothing was changed; "
                         "review with --dry-run, then re-run with --yes")
    if not click.confirm(question, err=True):
        raise click.Abort()
