"""Click parameter types for -m 'VERB /path' and modes: bad values stop before any AWS call."""

from __future__ import annotations

import click

from asyncgw.core.modes import Mode
from asyncgw.core.selection import check_pattern


class MethodType(click.ParamType[str]):
    """A -m value: 'VERB /path' with '*' globs, or an HTTP API's '$default'."""

    name = "'VERB /path'"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """The text unchanged once it parses; asyncgw's own one-line error otherwise."""
        # The error is asyncgw's UsageError, not click's BadParameter, so it keeps the one
        # line ("Error: -m 'POST' is not 'VERB /path'; ...") that scripts already match.
        return check_pattern(str(value))


class ModeChoice(click.Choice[str]):
    """One of the modes a method can be put in; the value is a Mode."""

    def __init__(self) -> None:
        super().__init__([str(mode) for mode in (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)])

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> Mode:
        """The Mode named, or click's usual 'Invalid value' error."""
        return Mode(super().convert(value, param, ctx))


METHOD = MethodType()
MODE = ModeChoice()
