"""The install hint for commands that need the sandbox extra (asyncgw-sandbox and moto)."""

from __future__ import annotations

import importlib.util
import sys

from asyncgw.core.errors import UsageError

SANDBOX_MODULES = ("asyncgw_sandbox", "moto")
"""What the sandbox extra installs: the sandbox package, and the moto it patches."""


def require_sandbox(why: str) -> None:
    """Refuse with the install hint when the sandbox extra is not installed."""
    if any(_missing(name) for name in SANDBOX_MODULES):
        raise UsageError(f"{why}: pip install 'asyncgw[sandbox]'")


def _missing(name: str) -> bool:
    # Found, not imported: the sandbox imports moto only once it starts.
    if name in sys.modules:
        return sys.modules[name] is None
    return importlib.util.find_spec(name) is None
