"""asyncgw export: the same change as infrastructure code, so it survives the next deploy."""

from __future__ import annotations

import click

from asyncgw.cli.options import CONTEXT, AwsOptions, aws_options
from asyncgw.cli.params import METHOD, MODE
from asyncgw.cli.table import short_help
from asyncgw.core.modes import Mode

EXPORT_FORMATS = ("cloudformation", "openapi", "terraform", "cdk-python", "cdk-typescript",
                  "serverless")
"""asyncgw.export.FORMAT_NAMES, spelled out so --help need not import the renderers."""


@click.command(context_settings=CONTEXT, short_help=short_help("export"))
@click.argument("api")
@click.option("-m", "--method", "methods", multiple=True, type=METHOD, metavar="'VERB /path'",
              help="Method to export; repeatable; '*' globs as in enable-async.")
@click.option("--all", "everything", is_flag=True, help="Every Lambda non-proxy method.")
@click.option("--mode", type=MODE, required=True, help="The mode to express.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="The infrastructure-as-code language.")
@click.option("--optional-header", is_flag=True, help="With --mode switchable: the "
              "InvocationType header declared optional, as enable-switchable --optional-header "
              "makes it.")
@aws_options
@click.pass_context
def export(ctx: click.Context, /, api: str, methods: tuple[str, ...], everything: bool,
           mode: Mode, fmt: str, optional_header: bool, aws: AwsOptions) -> None:
    """Print the same change in your stack's language, so it survives the next deploy.

    A hand change to a CloudFormation, SAM, CDK, Serverless or Terraform API drifts
    from its template; make the change there too. Reads the API; changes nothing.

    \b
    Examples:
      asyncgw export orders -m 'POST /orders' --mode switchable --format cloudformation
      asyncgw export orders --all --mode async --format terraform > async.tf
    """
    from asyncgw import library
    from asyncgw.cli.running import account, print_json, runtime

    code = library.export_code(api, mode, format=fmt, methods=methods, all=everything,
                               optional_header=optional_header, account=account(ctx, aws))
    if aws.as_json:
        print_json(ctx, code.data)
    else:
        runtime(ctx).out.out(code.text, highlight=False)
