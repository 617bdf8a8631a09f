"""What commands need from the outside world: consoles, a terminal test and the AWS connect."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from asyncgw.rest.gateway import Gateway


class Runtime:
    """What commands need from the outside world; tests may pass their own as ctx.obj."""

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


def default_runtime() -> Runtime:
    """The real terminal: rich consoles on stdout and stderr."""
    # Imported here, not at the top: `asyncgw CMD --help` and click's usage errors never get
    # here, and rich would add a third to their start-up.
    from rich.console import Console

    class ErrorConsole(Console):
        """stderr: a closed pipe is the caller's to handle (rich would exit at once, and an
        apply that is told to exit mid-way undoes itself for a progress line)."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError(errno.EPIPE, "stderr is closed")

    # A pipe or file gets whole lines rather than rich's 80-column default.
    piped_width = None if sys.stdout.isatty() else 160
    return Runtime(
        out=Console(highlight=False, soft_wrap=True, width=piped_width),
        err=ErrorConsole(stderr=True, highlight=False, soft_wrap=True),
        interactive=lambda: sys.stdin.isatty() and sys.stderr.isatty(),
    )
