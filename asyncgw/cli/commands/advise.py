"""asyncgw advise: which Lambda methods should be async, ranked from the API's own metrics."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options
from asyncgw.cli.table import short_help


@click.command(context_settings=CONTEXT, short_help=short_help("advise"))
@click.argument("api")
@click.option("--stage", metavar="STAGE", help="Stage whose metrics to read (default: the "
              "API's only stage).")
@click.option("--days", type=int, default=7, show_default=True, metavar="N",
              help="How many days of metrics to read, 1 to 455.")
@aws_options
@click.pass_context
def advise(ctx: click.Context, /, api: str, stage: str | None, days: int,
           aws: AwsOptions) -> None:
    """Rank the Lambda methods by the evidence that they should be async.

    Reads CloudWatch (GetMetricData, 500 queries a call) and changes nothing: each method's
    p99 and maximum IntegrationLatency against its integration timeout, its 5XX answers, and
    its function's p99 Duration against the function's timeout and its throttles. Each gets
    one line saying why, and the asyncgw command that makes it async (with the --region,
    --profile and --endpoint-url given). Modes are the ones the stage serves. Methods already
    async are listed with what their functions do with failed events. Without per-method
    figures (detailed metrics off on the stage, or none in the window) it says so, ranks by
    the functions' figures alone, and prints the AWS CLI line that turns them on.

    API is a REST API id, or its name when only one API has that name (HTTP APIs are
    refused: exit 2).

    \b
    Examples:
      asyncgw advise orders --stage prod
      asyncgw advise a1b2c3d4e5 --stage prod --days 30 --output json
    """
    from asyncgw import library
    from asyncgw.cli.running import account, print_json, runtime

    report = library.advise(api, stage=stage, days=days, account=account(ctx, aws))
    if aws.as_json:
        print_json(ctx, report.data)
    else:
        runtime(ctx).out.print(report.text)
