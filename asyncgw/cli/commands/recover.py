"""asyncgw recover: list unfinished applies, or put one API back as its journal recorded it."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options, journal_option
from asyncgw.cli.table import short_help


@click.command(context_settings=CONTEXT, short_help=short_help("recover"))
@click.argument("api", required=False)
@click.option("--dry-run", is_flag=True, help="Show what differs from before and change "
              "nothing.")
@click.option("--yes", "-y", is_flag=True, help="Restore without asking.")
@journal_option
@aws_options
@click.pass_context
def recover(ctx: click.Context, /, api: str | None, dry_run: bool, yes: bool, aws: AwsOptions,
            journal_dir: str | None) -> None:
    """Put back an API that an apply killed halfway (kill -9, a CI timeout) left changed.

    Without API, list the journals of applies that did not finish. With API (its id, or
    the name its journal recorded), read the API back, show what differs from before that
    apply, and restore it from the journal's snapshot; then check the read-back and remove
    the journal. The profile, Region and endpoint default to those the apply used.

    \b
    Examples:
      asyncgw recover
      asyncgw recover orders --dry-run
      asyncgw recover a1b2c3d4e5 --yes
    """
    from rich.text import Text

    from asyncgw import library
    from asyncgw.cli.running import account, confirm, print_json, progress, runtime
    from asyncgw.core.backend import Report

    out = runtime(ctx)
    given = account(ctx, aws, journal_dir)

    def show(report: Report) -> None:
        if aws.as_json:
            print_json(ctx, report.data)
        else:
            out.out.print(report.text)

    if api is None:
        show(library.unfinished(account=given))
        return
    plan = library.plan_recover(api, account=given)
    if plan is None:
        show(Report(Text(f"Nothing to recover: API {api} has no unfinished journal in "
                         f"{given.journals().directory}."),
                    {"apiId": api, "journal": None, "restored": False}))
        return
    if not aws.as_json:
        out.out.print(plan.text)
    if dry_run:
        if aws.as_json or not plan.is_empty:
            show(Report(Text("Dry run: nothing was changed. Run the same command without "
                             "--dry-run to restore."), {**plan.data, "restored": False}))
        return
    if not plan.is_empty:
        confirm(out, yes, f"Restore API {plan.api_id} to its state before that apply?")
    done = plan.apply(lambda line: progress(out, line))
    show(Report(done.text, {**plan.data, **done.data}))
