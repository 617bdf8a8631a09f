"""The options several commands share, declared once: AWS access, method selection, functions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from asyncgw.cli.params import METHOD
from asyncgw.core.errors import UsageError

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

Command = Callable[..., Any]


class AwsOptions:
    """--profile, --region, --endpoint-url, --max-rps, --max-in-flight and --output, as one."""

    def __init__(self, profile: str | None, region: str | None, endpoint_url: str | None,
                 max_rps: float | None, output: str, max_in_flight: int = 4) -> None:
        self.profile = profile
        self.region = region
        self.endpoint_url = endpoint_url
        self.max_rps = max_rps
        self.output = output
        self.max_in_flight = max_in_flight

    @property
    def as_json(self) -> bool:
        """True with --output json."""
        return self.output == "json"


def aws_options(command: Command) -> Command:
    """--region, --profile, --endpoint-url, --output and --debug, as in the AWS CLI; --trace.

    The command receives them as one `aws: AwsOptions` (--debug is the error funnel's).
    """
    command = _traced(command)
    options = [
        click.option("--region", metavar="REGION", help="AWS Region (default: from profile or "
                     "AWS_REGION)."),
        click.option("--profile", metavar="NAME", help="Named profile from your AWS config."),
        click.option("--endpoint-url", metavar="URL", help="Send API Gateway calls to this URL "
                     "(AWS_ENDPOINT_URL works too)."),
        click.option("--output", type=click.Choice(["table", "json"]), default="table",
                     show_default=True, help="Human-readable text or one JSON object."),
        click.option("--max-rps", type=float, metavar="N", help="Use at most N of the account's "
                     "10 API Gateway requests per second (default: all 10)."),
        click.option("--max-in-flight", type=click.IntRange(min=1), default=4, metavar="N",
                     help="Send at most N AWS calls at once (default: 4; 1 sends one at a "
                     "time)."),
        click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors."),
        click.option("--trace", metavar="FILE", help="Write every AWS request and response "
                     "to FILE as JSON lines, to attach to a bug report: account ids and "
                     "resource names are kept; credentials are never written."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _traced(command: Command) -> Command:
    """The command, recording its AWS calls to the file --trace names, if any."""

    @functools.wraps(command)
    def traced(*args: Any, trace: str | None, profile: str | None, region: str | None,
               endpoint_url: str | None, max_rps: float | None, max_in_flight: int,
               output: str, debug: bool, **options: Any) -> Any:
        aws = AwsOptions(profile, region, endpoint_url, max_rps, output, max_in_flight)
        if trace is None:
            return command(*args, aws=aws, **options)
        from asyncgw.aws import trace as tracing  # boto3 loads only when a command runs

        recorded = {**options, "region": region, "profile": profile,
                    "endpoint_url": endpoint_url, "output": output, "max_rps": max_rps,
                    "max_in_flight": max_in_flight, "debug": debug}
        with tracing.recording(trace, click.get_current_context().command_path, recorded,
                               lambda line: click.echo(line, err=True)):
            return command(*args, aws=aws, **options)

    return traced


def change_options(command: Command) -> Command:
    """Method selection, stage and confirmation options shared by enable-* and disable."""
    options = [
        click.option("-m", "--method", "methods", multiple=True, type=METHOD,
                     metavar="'VERB /path'",
                     help="Method (HTTP API: route) to change; repeatable. VERB may be "
                     "'*' (every verb); the path may hold '*' globs; '$default' is an HTTP "
                     "API's default route."),
        click.option("--all", "everything", is_flag=True,
                     help="Every Lambda non-proxy method (others are listed as skipped)."),
        click.option("--stage", metavar="STAGE", help="Stage to redeploy (default: the "
                     "API's only stage)."),
        click.option("--no-deploy", is_flag=True, help="Change the API but do not redeploy; "
                     "nothing is live until you do."),
        click.option("--dry-run", is_flag=True, help="Show the plan and change nothing."),
        click.option("--yes", "-y", is_flag=True, help="Apply without asking."),
        click.option("--refuse-managed", is_flag=True, envvar="ASYNCGW_REFUSE_MANAGED",
                     help="Refuse (exit 2) when a CloudFormation stack owns the API "
                     "(env: ASYNCGW_REFUSE_MANAGED=1)."),
    ]
    command = journal_option(aws_options(command))  # listed after the selection options
    for option in reversed(options):
        command = option(command)
    return command


def function_options(command: Command) -> Command:
    """The target functions' async configuration, set in the same change by enable-*."""
    options = [
        click.option("--on-failure", metavar="ARN", help="Send events that still fail after "
                     "the retries to this SQS queue, SNS topic, Lambda function, EventBridge "
                     "bus or S3 bucket (set on each target function)."),
        click.option("--max-retries", type=int, metavar="0-2", help="Retries Lambda makes "
                     "after a failed async invocation (Lambda's default: 2)."),
        click.option("--max-event-age", type=int, metavar="SECONDS", help="How long Lambda "
                     "keeps an event it cannot run yet, 60 to 21600 (default: 21600)."),
        click.option("--convert-proxy", is_flag=True, help="Also take Lambda proxy methods: "
                     "replace the proxy integration by a non-proxy one whose template "
                     "rebuilds the proxy event, so the function's code is unchanged; disable "
                     "puts the proxy integration back."),
        click.option("--respond-202/--no-respond-202", default=None, help="Answer async "
                     "calls with 202 Accepted and {\"requestId\": ...} instead of an empty 200 "
                     "(default: keep what each method answers now)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def switchable_options(command: Command) -> Command:
    """enable-switchable's --optional-header (REST APIs): callers without the header stay sync."""
    return click.option(
        "--optional-header", is_flag=True,
        help="Declare the InvocationType header optional (REST APIs): calls without it stay "
        "synchronous instead of getting 400, no validator is needed for it. Run again "
        "without the flag to require it once every caller sends it. HTTP APIs refuse it: "
        "their forwarder always requires the header.")(command)


def journal_option(command: Command) -> Command:
    """--journal-dir: where applies keep the durable journal `asyncgw recover` reads."""
    return click.option(
        "--journal-dir", metavar="DIR", help="Keep the journal of the apply, which asyncgw "
        "recover reads after a crash, in DIR (default: $ASYNCGW_JOURNAL_DIR, else "
        "$XDG_STATE_HOME/asyncgw/journals, else ~/.local/state/asyncgw/journals).")(command)


def saved_plan_options(command: Command) -> Command:
    """--out FILE (save the plan for `asyncgw apply`) and --exit-code (3 when there is work)."""
    options = [
        click.option("--out", metavar="FILE", help="Show the plan, change nothing, and save "
                     "it to FILE; apply exactly that plan later with: asyncgw apply FILE."),
        exit_code_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


exit_code_option = click.option(
    "--exit-code", is_flag=True, help="With --dry-run or --out: exit 0 when the plan is empty, "
    "3 when it has changes (for CI).")


def check_plan_flags(out: str | None, exit_code: bool, dry_run: bool, yes: bool) -> None:
    """Refuse --exit-code without --dry-run or --out, and --out with --yes or '-'."""
    if exit_code and not (dry_run or out):
        raise UsageError("--exit-code says whether a plan has changes: use it with --dry-run "
                         "or --out FILE")
    if out is not None and yes:
        raise UsageError("--out saves the plan and changes nothing: apply it later with "
                         "asyncgw apply FILE --yes")
    if out == "-" or (out is not None and not out.strip()):
        raise UsageError("--out takes a file name: the plan is printed anyway; save it to "
                         "a file for asyncgw apply")


# Canary releases

CANARY_HELP = ("Deploy as the stage's canary release: only PERCENT (0.0-100.0) of the stage's "
               "traffic sees the change (REST APIs; an existing canary's deployment is "
               "replaced, its other settings kept). Then: asyncgw promote or cancel-canary.")


def canary_option(command: Command) -> Command:
    """--canary PERCENT, on enable-*, disable and redeploy."""
    return click.option("--canary", type=click.FloatRange(0.0, 100.0), metavar="PERCENT",
                        help=CANARY_HELP)(command)
