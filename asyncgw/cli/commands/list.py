"""asyncgw list: every REST and HTTP API of a Region, its modes and its lagging stages."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options
from asyncgw.cli.table import short_help


@click.command("list", context_settings=CONTEXT, short_help=short_help("list"))
@aws_options
@click.pass_context
def list_apis(ctx: click.Context, /, aws: AwsOptions) -> None:
    """List every REST and HTTP API of the Region with how many of its methods (routes) are
    async, switchable, sync and not eligible, and which stages serve an older deployment
    than the API's current configuration (redeploy them to make the changes live).

    An API that cannot be read is shown as unknown with the reason. Reads only.

    \b
    Examples:
      asyncgw list
      asyncgw list --region eu-west-1 --output json
    """
    from asyncgw import library
    from asyncgw.cli.running import account, print_json, runtime

    report = library.list_apis(account=account(ctx, aws))
    if aws.as_json:
        print_json(ctx, report.data)
    else:
        runtime(ctx).out.print(report.text)
