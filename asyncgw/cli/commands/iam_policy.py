"""asyncgw iam-policy: the least-privilege policy asyncgw needs, made without any AWS call."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT
from asyncgw.cli.table import short_help


@click.command("iam-policy", context_settings=CONTEXT, short_help=short_help("iam-policy"))
@click.argument("api_id", required=False, metavar="[API_ID]")
@click.option("--region", metavar="REGION", help="Region for the ARNs (default: any).")
@click.option("--account", metavar="ID", help="Account id for Lambda and IAM ARNs "
              "(default: any).")
@click.option("--rest-only", is_flag=True, help="Leave out the HTTP API statements (Lambda "
              "and IAM writes for the forwarder).")
@click.pass_context
def iam_policy(ctx: click.Context, /, api_id: str | None, region: str | None,
               account: str | None, rest_only: bool) -> None:
    """Print the IAM policy that lets asyncgw read and change one API (or any).

    Makes no AWS call. Without API_ID the policy covers every API. The REST part includes
    reading (and, for --on-failure and friends, setting) the async configuration of any
    Lambda function, since the targets are your functions, and CloudWatch's GetMetricData
    (on any metric: it takes no narrower resource) for advise. The HTTP API part lets asyncgw
    create forwarder functions and their role; leave it out with --rest-only when you only
    change REST APIs.

    \b
    Examples:
      asyncgw iam-policy a1b2c3d4e5 --region eu-west-1 --rest-only > asyncgw-policy.json
      asyncgw iam-policy --account 123456789012
    """
    from asyncgw.cli.running import print_json
    from asyncgw.iam_policy import policy

    print_json(ctx, policy(api_id, region, account, http=not rest_only))
