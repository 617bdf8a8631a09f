"""asyncgw status: each method's (or route's) mode and the stages."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options
from asyncgw.cli.table import short_help


@click.command(context_settings=CONTEXT, short_help=short_help("status"))
@click.argument("api")
@click.option("--stage", metavar="STAGE", help="Show only this stage in the header.")
@aws_options
@click.pass_context
def status(ctx: click.Context, /, api: str, stage: str | None, aws: AwsOptions) -> None:
    """Show each method's mode (async, switchable, sync, not-eligible) and the stages.

    API is a REST or HTTP API id, or its name when only one API has that name.

    \b
    Examples:
      asyncgw status a1b2c3d4e5
      asyncgw status orders --region eu-west-1 --output json
    """
    from asyncgw import library
    from asyncgw.cli.running import account, print_json, runtime

    report = library.status(api, stage=stage, account=account(ctx, aws))
    if aws.as_json:
        print_json(ctx, report.data)
    else:
        runtime(ctx).out.print(report.text)
