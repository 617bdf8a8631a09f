"""asyncgw apply FILE: apply exactly the plan --out saved, or refuse if the API moved since."""

from __future__ import annotations

import shlex

import click

from asyncgw.cli.options import (
    CONTEXT,
    AwsOptions,
    aws_options,
    canary_option,
    check_plan_flags,
    exit_code_option,
    journal_option,
)
from asyncgw.cli.table import short_help


@click.command("apply", context_settings=CONTEXT, short_help=short_help("apply"))
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help="Check the plan against the API and show it "
              "again; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@exit_code_option
@canary_option
@journal_option
@aws_options
@click.pass_context
def apply(ctx: click.Context, /, file: str, dry_run: bool, yes: bool, exit_code: bool,
          canary: float | None, aws: AwsOptions, journal_dir: str | None) -> None:
    """Apply a plan saved with --out, exactly as it was shown.

    The API is read again first. If anything the plan read changed since (a method, a
    validator, a route, a stage's deployment), or planning again gives another plan,
    nothing is changed and the command exits 2 naming what changed: plan again. The Region
    is the plan's own; the confirmation, undo and read-back are those of the command that
    made the plan. --canary deploys the same steps as the stage's canary at that share of
    traffic instead of as the plan says.

    \b
    Examples:
      asyncgw enable-async orders -m 'POST /orders' --stage prod --out plan.json
      asyncgw apply plan.json --dry-run
      asyncgw apply plan.json --yes
      asyncgw apply plan.json --canary 10 --yes
    """
    check_plan_flags(None, exit_code, dry_run, yes)
    from asyncgw import library
    from asyncgw.cli.running import account, show_and_apply

    plan = library.plan_from_file(file, canary=canary, account=account(ctx, aws, journal_dir))
    show_and_apply(ctx, plan, dry_run=dry_run, yes=yes, as_json=aws.as_json,
                   exit_code=exit_code, again=f"asyncgw apply {shlex.quote(file)}"
                   + ("" if canary is None else f" --canary {canary:g}"))
