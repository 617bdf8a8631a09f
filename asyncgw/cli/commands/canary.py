"""asyncgw promote and cancel-canary: end a stage's canary release, plan shown first."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options, journal_option
from asyncgw.cli.table import short_help


def _ending_command(name: str, summary: str, examples: str) -> click.Command:
    """promote or cancel-canary: the same options, a different plan."""

    def command(ctx: click.Context, /, api: str, stage: str, dry_run: bool, yes: bool,
                aws: AwsOptions, journal_dir: str | None) -> None:
        from asyncgw import library
        from asyncgw.cli.running import account, show_and_apply

        planning = library.plan_promote if name == "promote" else library.plan_cancel_canary
        plan = planning(api, stage=stage, account=account(ctx, aws, journal_dir))
        show_and_apply(ctx, plan, dry_run=dry_run, yes=yes, as_json=aws.as_json)

    command.__doc__ = f"{summary}\n\n\b\nExamples:\n{examples}"
    decorated = journal_option(aws_options(click.pass_context(command)))
    for option in reversed([
        click.option("--stage", metavar="STAGE", required=True,
                     help="The stage whose canary release ends."),
        click.option("--dry-run", is_flag=True, help="Show the plan and change nothing."),
        click.option("--yes", "-y", is_flag=True, help="Apply without asking."),
    ]):
        decorated = option(decorated)
    decorated = click.argument("api")(decorated)
    return click.command(name, context_settings=CONTEXT, short_help=short_help(name))(decorated)


promote = _ending_command(
    "promote",
    "Promote a stage's canary release, as the API Gateway console does: the stage serves the "
    "canary's deployment to all traffic and takes the canary's stage variable overrides; then "
    "the canary is removed. REST APIs only; undone if any call fails.",
    "  asyncgw enable-async orders -m 'POST /orders' --stage prod --canary 10\n"
    "  asyncgw status orders --stage prod\n"
    "  asyncgw promote orders --stage prod --dry-run\n"
    "  asyncgw promote orders --stage prod --yes",
)
cancel_canary = _ending_command(
    "cancel-canary",
    "Remove a stage's canary release: all traffic stays on the stage's own deployment, as it "
    "was before the canary. REST APIs only; undone if the call fails.",
    "  asyncgw cancel-canary orders --stage prod --dry-run\n"
    "  asyncgw cancel-canary orders --stage prod --yes",
)
