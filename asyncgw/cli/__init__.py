"""The command line: parse flags, call the library, render, and map errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from asyncgw import __version__
from asyncgw.core.errors import AsyncgwError, ExitCode, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from asyncgw.core.flows import Connect, Prepared, Target
    from asyncgw.core.modes import Mode
    from asyncgw.rest.gateway import Gateway

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Runtime:
    """What commands need from the outside world; tests may pass their own as ctx.obj."""

    # A plain class, not a dataclass: importing dataclasses costs --help a noticeable delay.
    def __init__(
        self,
        out: Console,
        err: Console,
        interactive: Callable[[], bool],
        connect: Callable[[str | None, str | None, str | None], Gateway] | None = None,
    ) -> None:
        self.out = out
        self.err = err
        self.interactive = interactive
        self.connect = connect
        """(profile, region, endpoint_url) -> Gateway; None means asyncgw.rest.gateway.connect."""


def _default_runtime() -> Runtime:
    from rich.console import Console

    # A pipe or file gets whole lines rather than rich's 80-column default.
    piped_width = None if sys.stdout.isatty() else 160
    return Runtime(
        out=Console(highlight=False, soft_wrap=True, width=piped_width),
        err=Console(stderr=True, highlight=False, soft_wrap=True),
        interactive=lambda: sys.stdin.isatty() and sys.stderr.isatty(),
    )


def _runtime(ctx: click.Context) -> Runtime:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = _default_runtime()
    runtime: Runtime = root.obj
    return runtime


def aws_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--region, --profile, --endpoint-url, --output and --debug, as in the AWS CLI; --trace."""
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
        click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors."),
        click.option("--trace", metavar="FILE", help="Write every AWS request and response "
                     "to FILE as JSON lines, to attach to a bug report: account ids and "
                     "resource names are kept; credentials are never written."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _traced(command: Callable[..., Any]) -> Callable[..., Any]:
    """The command, recording its AWS calls to the file --trace names, if any."""
    import functools  # already imported by click: costs --help nothing

    @functools.wraps(command)
    def traced(*args: Any, trace: str | None = None, **options: Any) -> Any:
        if trace is None:
            return command(*args, **options)
        from asyncgw.aws import trace as tracing

        with tracing.recording(trace, click.get_current_context().command_path, options,
                               lambda line: click.echo(line, err=True)):
            return command(*args, **options)

    return traced


def change_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Method selection, stage and confirmation options shared by enable-* and disable."""
    options = [
        click.option("-m", "--method", "methods", multiple=True, metavar="'VERB /path'",
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
    command = aws_options(command)  # applied first, so listed after the selection options
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="asyncgw")
def cli() -> None:
    """Make Lambda-backed API Gateway REST API methods answer without waiting.

    Shows every change first; asks before applying; undoes everything if a step fails.

    \b
    Examples:
      asyncgw status my-api
      asyncgw enable-switchable my-api -m 'POST /orders' --dry-run
      asyncgw enable-async my-api -m 'POST /webhooks/*' --stage prod
      asyncgw disable my-api --all --stage prod
    """


@cli.command(context_settings=CONTEXT, short_help="Show each method's mode and the stages.")
@click.argument("api")
@click.option("--stage", metavar="STAGE", help="Show only this stage in the header.")
@aws_options
@click.pass_context
def status(ctx: click.Context, /, api: str, stage: str | None, **aws: Any) -> None:
    """Show each method's mode (async, switchable, sync, not-eligible) and the stages.

    API is a REST or HTTP API id, or its name when only one API has that name.

    \b
    Examples:
      asyncgw status a1b2c3d4e5
      asyncgw status orders --region eu-west-1 --output json
    """
    from asyncgw.core import flows

    runtime = _runtime(ctx)
    report = flows.status(_find(ctx, api, aws), stage, aws["output"] == "json")
    if isinstance(report, dict):
        _print_json(runtime, report)
    else:
        runtime.out.print(report)


def function_options(command: Callable[..., Any]) -> Callable[..., Any]:
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


def _mode_command(name: str, mode_name: str, short: str, summary: str, example: str) -> None:
    def command(ctx: click.Context, /, api: str, **options: Any) -> None:
        from asyncgw.core.modes import Mode

        _change(ctx, api, Mode(mode_name), options)

    command.__doc__ = f"{summary}\n\n\b\nExamples:\n{example}"
    decorated = click.pass_context(command)
    if mode_name != "sync":
        decorated = function_options(decorated)
    decorated = change_options(decorated)
    decorated = click.argument("api")(decorated)
    cli.command(name, context_settings=CONTEXT, short_help=short)(decorated)


_mode_command(
    "enable-async", "async", "Make methods always invoke their function asynchronously.",
    "Invoke the selected methods' functions asynchronously (X-Amz-Invocation-Type 'Event').",
    "  asyncgw enable-async orders -m 'POST /orders' --dry-run\n"
    "  asyncgw enable-async orders -m 'POST /webhooks/*' --stage prod --yes\n"
    "  asyncgw enable-async orders -m 'POST /orders' --max-retries 0 \\\n"
    "      --on-failure arn:aws:sqs:us-east-1:123456789012:orders-failed",
)
_mode_command(
    "enable-switchable", "switchable", "Let callers choose sync or async per request.",
    "Let callers choose per request with the InvocationType header (Event or "
    "RequestResponse).",
    "  asyncgw enable-switchable orders -m 'POST /orders' --stage prod\n"
    "  curl -H 'InvocationType: Event' https://.../prod/orders",
)
_mode_command(
    "disable", "sync", "Return methods to synchronous invocation.",
    "Return the selected methods to synchronous invocation (validators are left in place).",
    "  asyncgw disable orders -m 'POST /orders' --stage prod\n"
    "  asyncgw disable orders --all --no-deploy",
)


@cli.command(context_settings=CONTEXT, short_help="Prove methods' wiring with TestInvokeMethod.")
@click.argument("api")
@click.option("-m", "--method", "methods", multiple=True, metavar="'VERB /path'",
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
def verify(ctx: click.Context, /, api: str, **options: Any) -> int:
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
    from asyncgw.core import flows

    runtime = _runtime(ctx)
    target = _find(ctx, api, options)
    chosen, real = flows.verify_plan(target, options)
    if real:
        runtime.err.print("This invokes for real (an async Event with the --body): "
                          + ", ".join(real), style="yellow", markup=False)
        if not options["yes"]:
            if not runtime.interactive():
                raise UsageError("--invoke without a terminal needs --yes; nothing was invoked")
            if not click.confirm("Invoke these functions?", err=True):
                raise click.Abort()
    verified = flows.verify(target, chosen, options)
    if options["output"] == "json":
        _print_json(runtime, verified.data)
    else:
        runtime.out.print(verified.text)
    return ExitCode.APPLY_FAILED if verified.failed else ExitCode.OK


@cli.command(context_settings=CONTEXT, short_help="Deploy a stage so callers get the current API.")
@click.argument("api")
@click.option("--stage", metavar="STAGE", help="Stage to redeploy (default: the API's only "
              "stage).")
@click.option("--description", metavar="TEXT", help="Description of the new deployment.")
@click.option("--dry-run", is_flag=True, help="Show what would be deployed and change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Deploy without asking.")
@aws_options
@click.pass_context
def redeploy(ctx: click.Context, /, api: str, stage: str | None, description: str | None,
             dry_run: bool, yes: bool, **aws: Any) -> None:
    """Create a new deployment of a stage, so callers get the current configuration.

    \b
    Examples:
      asyncgw redeploy orders --stage prod
      asyncgw redeploy orders --stage prod --description 'after manual fix' --yes
    """
    from asyncgw.core import flows

    prepared = flows.redeploy(_find(ctx, api, aws), stage, description)
    _show_and_apply(ctx, prepared, dry_run, yes, aws["output"])


EXPORT_FORMATS = ("cloudformation", "openapi", "terraform", "cdk-python", "cdk-typescript",
                  "serverless")
"""asyncgw.export.FORMAT_NAMES, spelled out so --help need not import the renderers."""


@cli.command(context_settings=CONTEXT, short_help="Print the change as infrastructure code.")
@click.argument("api")
@click.option("-m", "--method", "methods", multiple=True, metavar="'VERB /path'",
              help="Method to export; repeatable; '*' globs as in enable-async.")
@click.option("--all", "everything", is_flag=True, help="Every Lambda non-proxy method.")
@click.option("--mode", type=click.Choice(["async", "switchable", "sync"]), required=True,
              help="The mode to express.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="The infrastructure-as-code language.")
@aws_options
@click.pass_context
def export(ctx: click.Context, /, api: str, methods: tuple[str, ...], everything: bool,
           mode: str, fmt: str, **aws: Any) -> None:
    """Print the same change in your stack's language, so it survives the next deploy.

    A hand change to a CloudFormation, SAM, CDK, Serverless or Terraform API drifts
    from its template; make the change there too. Reads the API; changes nothing.

    \b
    Examples:
      asyncgw export orders -m 'POST /orders' --mode switchable --format cloudformation
      asyncgw export orders --all --mode async --format terraform > async.tf
    """
    from asyncgw.core.modes import Mode
    from asyncgw.export import export as render_export
    from asyncgw.export import export_data
    from asyncgw.rest import intent
    from asyncgw.rest.selection import select

    wanted = intent.mode_change(api, Mode(mode), methods, everything, no_deploy=True)
    snapshot = intent.read(_connect(ctx, aws), api)
    chosen = select(snapshot, wanted.patterns, wanted.everything).methods
    runtime = _runtime(ctx)
    if aws["output"] == "json":
        _print_json(runtime, export_data(snapshot, chosen, Mode(mode), fmt))
    else:
        runtime.out.out(render_export(snapshot, chosen, Mode(mode), fmt), highlight=False)


@cli.command("iam-policy", context_settings=CONTEXT,
             short_help="Print the least-privilege IAM policy asyncgw needs.")
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
    Lambda function, since the targets are your functions. The HTTP API part lets asyncgw
    create forwarder functions and their role; leave it out with --rest-only when you only
    change REST APIs.

    \b
    Examples:
      asyncgw iam-policy a1b2c3d4e5 --region eu-west-1 --rest-only > asyncgw-policy.json
      asyncgw iam-policy --account 123456789012
    """
    from asyncgw.iam_policy import policy

    _print_json(_runtime(ctx), policy(api_id, region, account, http=not rest_only))


@cli.command(context_settings=CONTEXT, short_help="See the whole tool work on an emulated account.")
@click.pass_context
def demo(ctx: click.Context, /) -> None:
    """Run every command against an emulated AWS account, with no AWS account or network.

    Seeds a sample "orders" REST API, then shows status, a dry run, applying,
    switching modes, disabling and redeploying, each command as you would type it.

    \b
    Example:
      asyncgw demo
    """
    _require_sandbox("asyncgw demo needs the sandbox")
    from asyncgw.cli.demo import play

    runtime = _runtime(ctx)
    # One stream, so progress and errors appear in story order even when piped to a file.
    story = Runtime(runtime.out, runtime.out, runtime.interactive, runtime.connect)
    code = play(runtime.out.print, lambda args: run(args, story))
    if code:
        ctx.exit(code)


@cli.group(context_settings=CONTEXT, short_help="Serve the emulated account for manual use.")
def sandbox() -> None:
    """The emulated AWS account (moto plus asyncgw's API Gateway additions).

    \b
    Example:
      asyncgw sandbox serve --port 4566
    """


@sandbox.command(context_settings=CONTEXT)
@click.option("--port", type=int, default=0, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--no-seed", is_flag=True, help="Start empty instead of with the sample API.")
@click.option("--throttle", is_flag=True, help="Enforce API Gateway's control-plane quotas "
              "and answer 429 with Retry-After, as AWS does.")
def serve(port: int, no_seed: bool, throttle: bool) -> None:
    """Serve an emulated AWS account on 127.0.0.1 until Ctrl-C.

    Prints the endpoint URL (use it as --endpoint-url or AWS_ENDPOINT_URL) and the
    sample API's id, so every command can be run by hand.

    \b
    Example:
      asyncgw sandbox serve --port 4566
      asyncgw status orders --endpoint-url http://127.0.0.1:4566
    """
    _require_sandbox("the sandbox is not installed")
    from asyncgw_sandbox.__main__ import main as serve_sandbox

    sys.exit(serve_sandbox(["--port", str(port), *([] if no_seed else ["--seed"]),
                            *(["--throttle"] if throttle else [])]))


def _require_sandbox(why: str) -> None:
    """Refuse with the install hint when the sandbox extra (moto) is not installed."""
    try:
        import moto  # noqa: F401  the sandbox imports moto only once it starts
    except ImportError:
        raise UsageError(f"{why}: pip install 'asyncgw[sandbox]'") from None


def _change(ctx: click.Context, api: str, mode: Mode, options: dict[str, Any]) -> None:
    from asyncgw.core import flows

    _check_selection(options)
    prepared = flows.change(_find(ctx, api, options), mode, options)
    _show_and_apply(ctx, prepared, options["dry_run"], options["yes"], options["output"])


def _check_selection(options: dict[str, Any]) -> None:
    """The flag errors that hold for either kind of API, raised before any AWS call."""
    if bool(options["methods"]) == options["everything"]:
        raise UsageError("choose methods with -m 'VERB /path' (repeatable; an HTTP API's "
                         "default route is '$default') or --all")
    if options["stage"] is not None and options["no_deploy"]:
        raise UsageError("--stage and --no-deploy contradict each other; pass only one")


def _show_and_apply(
    ctx: click.Context, prepared: Prepared, dry_run: bool, yes: bool, output: str
) -> None:
    runtime = _runtime(ctx)
    as_json = output == "json"
    if not as_json:
        runtime.out.print(prepared.text)
    if dry_run and not prepared.is_empty and not as_json:
        runtime.out.print("Dry run: nothing was changed. Run the same command without "
                          "--dry-run to apply.")
    if dry_run or prepared.is_empty:
        if as_json:
            _print_json(runtime, {**prepared.data, "applied": False})
        return
    _confirm(runtime, prepared, yes)
    text, result = prepared.apply(
        lambda line: runtime.err.print(f"  {line}", style="dim", markup=False))
    if as_json:
        _print_json(runtime, {**prepared.data, "applied": True, **result})
    else:
        runtime.out.print(text)


def _confirm(runtime: Runtime, prepared: Prepared, yes: bool) -> None:
    if yes:
        return
    if not runtime.interactive():
        raise UsageError("no terminal to confirm on and no --yes: nothing was changed; "
                         "review with --dry-run, then re-run with --yes")
    target = f" and deploy stage {prepared.deploys}" if prepared.deploys else ""
    if not click.confirm(f"Apply these changes to {prepared.api_id}{target}?", err=True):
        raise click.Abort()


def _find(ctx: click.Context, api: str, options: dict[str, Any]) -> Target:
    from asyncgw.core import flows

    return flows.find(api, _connector(ctx, options), options)


def _connect(ctx: click.Context, options: dict[str, Any]) -> Gateway:
    connect = _connector(ctx, options)
    return connect(options.get("profile"), options.get("region"), options.get("endpoint_url"))


def _connector(ctx: click.Context, options: dict[str, Any]) -> Connect:
    from asyncgw.rest import gateway

    injected = _runtime(ctx).connect
    if injected is not None:
        return injected
    max_rps = options.get("max_rps")
    return lambda profile, region, endpoint: gateway.connect(profile, region, endpoint, max_rps)


def _print_json(runtime: Runtime, data: object) -> None:
    import json

    runtime.out.out(json.dumps(data, indent=2, default=str), highlight=False)


def run(args: Sequence[str], runtime: Runtime | None = None) -> int:
    """Run one asyncgw command line and return its exit code; failures become one line."""
    args = list(args)
    debug = "--debug" in args
    try:
        result = cli.main(args, prog_name="asyncgw", standalone_mode=False, obj=runtime)
    except click.exceptions.Abort:
        _say(runtime, "Aborted: nothing was changed.")
        return ExitCode.USAGE
    except click.ClickException as error:
        error.show(file=_error_console(runtime).file)
        return ExitCode.USAGE if error.exit_code == 2 else error.exit_code
    except AsyncgwError as error:
        if debug:
            raise
        _say(runtime, f"Error: {error.message}")
        return error.exit_code
    except KeyboardInterrupt:
        _say(runtime, "Interrupted: nothing was changed.")
        return ExitCode.INTERRUPTED
    except Exception as error:  # the funnel that keeps tracebacks from users
        if debug:
            raise
        _say(runtime, f"Error: unexpected {type(error).__name__}: {error} "
             "(re-run with --debug for the traceback)")
        return ExitCode.APPLY_FAILED
    return result if isinstance(result, int) else ExitCode.OK


def _say(runtime: Runtime | None, line: str) -> None:
    _error_console(runtime).print(line, style="red", markup=False, highlight=False,
                                  soft_wrap=True)


def _error_console(runtime: Runtime | None) -> Console:
    return (runtime or _default_runtime()).err


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
