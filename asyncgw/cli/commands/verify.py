"""asyncgw verify: prove with TestInvokeMethod that methods invoke their functions as shown."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options
from asyncgw.cli.params import METHOD
from asyncgw.cli.table import short_help
from asyncgw.core.errors import ExitCode, UsageError


@click.command(context_settings=CONTEXT, short_help=short_help("verify"))
@click.argument("api")
@click.option("-m", "--method", "methods", multiple=True, type=METHOD, metavar="'VERB /path'",
              help="Method to verify; repeatable; * globs the path.")
@click.option("--all", "everything", is_flag=True, help="Every Lambda non-proxy method.")
@click.option("--stage", metavar="STAGE", help="Stage whose variables the test uses and whose "
              "deployment is compared (default: every stage).")
@click.option("--invoke", is_flag=True, help="Also prove async methods by invoking their "
              "functions for real (an Event invocation with the --body).")
@click.option("--body", default="{}", show_default=True, metavar="TEXT",
              help="Request body sent with --invoke.")
@click.option("--yes", "-y", is_flag=True, help="Invoke without asking (with --invoke).")
@aws_options
@click.pass_context
def verify(ctx: click.Context, /, api: str, methods: tuple[str, ...], everything: bool,
           stage: str | None, invoke: bool, body: str, yes: bool, aws: AwsOptions) -> int:
    """Prove that methods invoke their functions as their mode says, without side effects.

    Switchable methods are called with TestInvokeMethod and 'InvocationType: DryRun': Lambda
    checks the permission and answers 204 without running the function (documented for
    Invoke; not recorded through TestInvokeMethod, see docs/live.md). Async methods always
    run their function, so they are only proven with --invoke, which says what it will invoke
    and asks first. TestInvokeMethod runs the current configuration, so each result also says
    whether the stage serves it. Exits 1 when a check fails.

    \b
    Examples:
      asyncgw verify orders -m 'POST /orders/*' --stage prod
      asyncgw verify orders -m 'POST /orders' --invoke --body '{"test": true}'
    """
    from asyncgw.core.backend import VerifyRequest

    # Checked before the library (and boto3 with it) loads: a usage error answers at once.
    request = VerifyRequest(methods=methods, all=everything, stage=stage, invoke=invoke,
                            body=body)

    from asyncgw import library
    from asyncgw.cli.running import account, print_json, runtime

    out = runtime(ctx)
    checks = library.verify_request(api, request, account=account(ctx, aws))
    if checks.invocations:
        out.err.print("This invokes for real (an async Event with the --body): "
                      + ", ".join(checks.invocations), style="yellow", markup=False)
        if not yes:
            if not out.interactive():
                raise UsageError("--invoke without a terminal needs --yes; nothing was invoked")
            if not click.confirm("Invoke these functions?", err=True):
                raise click.Abort()
    verified = checks.run()
    if aws.as_json:
        print_json(ctx, verified.data)
    else:
        out.out.print(verified.text)
    return ExitCode.APPLY_FAILED if verified.failed else ExitCode.OK
