"""-m patterns: 'VERB /path' with globs, parsed once and matched against methods or routes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from asyncgw.core.errors import UsageError

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")
DEFAULT_ROUTE = "$default"
"""An HTTP API's catch-all route key."""


class Keyed(Protocol):
    """A REST method or an HTTP route: a verb and a path."""

    @property
    def http_method(self) -> str: ...

    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class MethodPattern:
    """One -m value: a verb ('*' for every verb, 'ANY' for the ANY method) and a path glob."""

    verb: str
    path: str

    @classmethod
    def parse(cls, text: str) -> MethodPattern:
        """Parse 'POST /jobs' or '* /jobs/*'; raise UsageError for anything else."""
        parts = text.split()
        if len(parts) != 2:
            raise UsageError(
                f"-m {text!r} is not 'VERB /path'; for example: -m 'POST /orders'"
            )
        verb, path = parts[0].upper(), parts[1]
        if verb not in (*VERBS, "*"):
            raise UsageError(
                f"-m {text!r}: unknown verb {parts[0]!r}; use one of {', '.join(VERBS)} or '*'"
            )
        if not path.startswith("/"):
            raise UsageError(f"-m {text!r}: the path must start with '/', as in 'POST /orders'")
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/")
        return cls(verb, path)

    @property
    def is_glob(self) -> bool:
        """True when the pattern may stand for several methods."""
        return self.verb == "*" or "*" in self.path

    def matches(self, method: Keyed) -> bool:
        """True when the method's verb and path fit this pattern."""
        if self.verb != "*" and self.verb != method.http_method:
            return False
        return _glob(self.path).fullmatch(method.path) is not None

    def __str__(self) -> str:
        return f"{self.verb} {self.path}"


def check_pattern(text: str) -> str:
    """`text` when it is a -m value some kind of API accepts; UsageError otherwise.

    Each backend parses it again in its own terms (a REST API has no '$default').
    """
    if text.strip() != DEFAULT_ROUTE:
        MethodPattern.parse(text)
    return text


def _glob(path: str) -> re.Pattern[str]:
    # Only '*' is special ('{id}' and '+' are literal in API Gateway paths); it spans '/'.
    return re.compile(".*".join(re.escape(part) for part in path.split("*")))
