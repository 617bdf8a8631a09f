"""The modes a method or route can be in, and how a Lambda function is named on screen."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """How a method invokes its Lambda function."""

    ASYNC = "async"
    SWITCHABLE = "switchable"
    SYNC = "sync"
    NOT_ELIGIBLE = "not-eligible"


INTEGRATION_TYPES = frozenset({"HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"})
"""The integration types asyncgw knows [MODEL apigateway IntegrationType]; AWS may add more."""


def function_name(function: str) -> str:
    """A short name for display: the function name out of an ARN, qualifier kept."""
    parts = function.split(":")
    if len(parts) >= 7 and parts[5] == "function":
        return ":".join(parts[6:])
    return function
