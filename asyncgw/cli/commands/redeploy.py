"""asyncgw redeploy: a new deployment of a stage, shown first like every change."""

from __future__ import annotations

import click

from asyncgw.cli.options import (
    CONTEXT,
    AwsOptions,
    aws_options,
    canary_option,
    check_plan_flags,
    journal_option,
    saved_plan_options,
)
from asyncgw.cli.table import short_help


@click.command(context_settings=CONTEXT, short_help=short_help("redeploy"))
@click.argument("api")
@click.option("--stage", metavar="STAGE", help="Stage to redeploy (default: the API's only "
              "stage).")
@click.option("--description", metavar="TEXT", help="Description of the new deployment.")
@click.option("--dry-run", is_flag=True, help="Show what would be deployed and change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Deploy without asking.")
@canary_option
@saved_plan_options
@journal_option
@aws_options
@click.pass_context
def redeploy(ctx: click.Context, /, api: str, stage: str | None, description: str | None,
             dry_run: bool, yes: bool, canary: float | None, out: str | None, exit_code: bool,
             aws: AwsOptions, journal_dir: str | None) -> None:
    """Create a new deployment of a stage, so callers get the current configuration.

    \b
    Examples:
      asyncgw redeploy orders --stage prod
      asyncgw redeploy orders --stage prod --description 'after manual fix' --yes
      asyncgw redeploy orders --stage prod --canary 10
      asyncgw redeploy orders --stage prod --out redeploy.json
    """
    check_plan_flags(out, exit_code, dry_run, yes)
    from asyncgw import library
    from asyncgw.cli.running import account, show_and_apply
    from asyncgw.core.saved_plan import RedeployRequest

    if out is not None:
        request = RedeployRequest(stage=stage, description=description, canary=canary)
        plan = library.save_plan(out, api, request, account=account(ctx, aws, journal_dir))
    else:
        plan = library.plan_redeploy(api, stage=stage, description=description,
                                     canary=canary, account=account(ctx, aws, journal_dir))
    show_and_apply(ctx, plan, dry_run=dry_run, yes=yes, as_json=aws.as_json, saved_to=out,
                   exit_code=exit_code)
