"""asyncgw enable-async, enable-switchable and disable: plan a mode change, show it, apply it."""

from __future__ import annotations

from collections.abc import Callable

import click

from asyncgw.cli.options import (
    CONTEXT,
    AwsOptions,
    canary_option,
    change_options,
    check_plan_flags,
    function_options,
    saved_plan_options,
    switchable_options,
)
from asyncgw.cli.table import short_help


def _mode_command(name: str, mode: str, summary: str, example: str,
                  functions: bool, switchable: bool = False) -> click.Command:
    """One of the three commands; enable-* also take the target functions' options."""

    def command(ctx: click.Context, /, api: str, methods: tuple[str, ...], everything: bool,
                stage: str | None, no_deploy: bool, dry_run: bool, yes: bool,
                refuse_managed: bool, out: str | None, exit_code: bool, aws: AwsOptions,
                journal_dir: str | None,
                on_failure: str | None = None,
                max_retries: int | None = None, max_event_age: int | None = None,
                convert_proxy: bool = False, respond_202: bool | None = None,
                optional_header: bool = False, canary: float | None = None) -> None:
        from asyncgw.core.backend import ChangeRequest
        from asyncgw.core.modes import Mode

        # The flags are checked before the library (and boto3 with it) loads: a usage error
        # answers at once.
        change = ChangeRequest(
            mode=Mode(mode), methods=methods, all=everything, stage=stage, no_deploy=no_deploy,
            refuse_managed=refuse_managed, on_failure=on_failure, max_retries=max_retries,
            max_event_age=max_event_age, convert_proxy=convert_proxy, respond_202=respond_202,
            optional_header=optional_header, canary=canary)
        check_plan_flags(out, exit_code, dry_run, yes)

        from asyncgw import library
        from asyncgw.cli.running import account, show_and_apply

        if out is not None:
            plan = library.save_plan(out, api, change, account=account(ctx, aws, journal_dir))
        else:
            plan = library.plan_request(api, change, account=account(ctx, aws, journal_dir))
        show_and_apply(ctx, plan, dry_run=dry_run, yes=yes, as_json=aws.as_json, saved_to=out,
                       exit_code=exit_code)

    command.__doc__ = f"{summary}\n\n\b\nExamples:\n{example}"
    decorated: Callable[..., None] = click.pass_context(command)
    if switchable:
        decorated = switchable_options(decorated)
    if functions:
        decorated = function_options(decorated)
    decorated = canary_option(decorated)
    decorated = saved_plan_options(decorated)
    decorated = change_options(decorated)
    decorated = click.argument("api")(decorated)
    return click.command(name, context_settings=CONTEXT, short_help=short_help(name))(decorated)


enable_async = _mode_command(
    "enable-async", "async",
    "Invoke the selected methods' functions asynchronously (X-Amz-Invocation-Type 'Event').",
    "  asyncgw enable-async orders -m 'POST /orders' --dry-run\n"
    "  asyncgw enable-async orders -m 'POST /orders' --stage prod --out plan.json --exit-code\n"
    "  asyncgw enable-async orders -m 'POST /webhooks/*' --stage prod --yes\n"
    "  asyncgw enable-async orders -m 'POST /orders' --max-retries 0 \\\n"
    "      --on-failure arn:aws:sqs:us-east-1:123456789012:orders-failed\n"
    "  asyncgw enable-async orders -m 'POST /orders' --stage prod --canary 10",
    functions=True,
)
enable_switchable = _mode_command(
    "enable-switchable", "switchable",
    "Let callers choose per request with the InvocationType header (Event or "
    "RequestResponse).",
    "  asyncgw enable-switchable orders -m 'POST /orders' --stage prod --optional-header\n"
    "  curl -H 'InvocationType: Event' https://.../prod/orders\n"
    "  asyncgw enable-switchable orders -m 'POST /orders' --stage prod  # then require it",
    functions=True, switchable=True,
)
disable = _mode_command(
    "disable", "sync",
    "Return the selected methods to synchronous invocation (validators are left in place).",
    "  asyncgw disable orders -m 'POST /orders' --stage prod\n"
    "  asyncgw disable orders --all --no-deploy",
    functions=False,
)
