"""The modes a method or route can be in, and how a Lambda function is named on screen."""

from __future__ import annotations

from enum import StrEnum

from asyncgw.core.errors import UsageError


class Mode(StrEnum):
    """How a method invokes its Lambda function."""

    ASYNC = "async"
    SWITCHABLE = "switchable"
    SYNC = "sync"
    NOT_ELIGIBLE = "not-eligible"


def mode_named(value: Mode | str) -> Mode:
    """The mode a caller names ('async', 'switchable', 'sync'); a usage error for any other."""
    try:
        return Mode(value)
    except ValueError:
        raise UsageError(f"unknown mode {value!r}: use async, switchable or sync") from None


INTEGRATION_TYPES = frozenset({"HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"})
"""The integration types asyncgw knows [MODEL apigateway IntegrationType]; AWS may add more."""


def function_name(function: str) -> str:
    """A short name for display: the function name out of an ARN, qualifier kept."""
    parts = function.split(":")
    if len(parts) >= 7 and parts[5] == "function":
        return ":".join(parts[6:])
    return function
