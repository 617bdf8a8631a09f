"""The install hint for commands that need the sandbox extra (moto)."""

from __future__ import annotations

import importlib.util

from asyncgw.core.errors import UsageError


def require_sandbox(why: str) -> None:
    """Refuse with the install hint when the sandbox extra (moto) is not installed."""
    # Found, not imported: the sandbox imports moto only once it starts.
    if importlib.util.find_spec("moto") is None:
        raise UsageError(f"{why}: pip install 'asyncgw[sandbox]'")
