"""The click group with its lazy command table, and the error funnel every command line ends in."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING

import click

from asyncgw import __version__
from asyncgw.cli.options import CONTEXT
from asyncgw.cli.runtime import Runtime, default_runtime
from asyncgw.cli.table import COMMANDS, short_help
from asyncgw.core.errors import AsyncgwError, ExitCode

if TYPE_CHECKING:
    from rich.console import Console


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name; each command's module is imported on first lookup."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            module, attribute, _ = COMMANDS[name]
            command = getattr(importlib.import_module(f"asyncgw.cli.commands.{module}"),
                              attribute)
            assert isinstance(command, click.Command), name
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMANDS), **self._loaded})

    def __len__(self) -> int:
        return len({**dict.fromkeys(COMMANDS), **self._loaded})


class LazyGroup(click.Group):
    """A group that lists its commands from the table and imports one only to run or help it."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called `cmd_name`, its module imported now; None when there is none."""
        return self.commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted, without importing any command."""
        return sorted(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The Commands section from the table's short help, as click writes it."""
        rows = [(name, short_help(name)) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, commands=LazyCommands(), context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="asyncgw")
def cli() -> None:
    """Make Lambda-backed API Gateway methods and routes answer without waiting.

    Shows every change first; asks before applying; undoes everything if a step fails.

    \b
    Examples:
      asyncgw status my-api
      asyncgw enable-switchable my-api -m 'POST /orders' --dry-run
      asyncgw enable-async my-api -m 'POST /webhooks/*' --stage prod
      asyncgw disable my-api --all --stage prod
    """


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
    return (runtime or default_runtime()).err
