"""-m patterns: 'VERB /path' with globs, parsed once and resolved against methods or routes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from asyncgw.core.errors import UsageError

T = TypeVar("T")

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
        return self.fits(method.http_method, method.path)

    def fits(self, verb: str, path: str) -> bool:
        """True when this verb (upper case) and path fit this pattern."""
        if self.verb != "*" and self.verb != verb:
            return False
        return _glob(self.path).fullmatch(path) is not None

    def __str__(self) -> str:
        return f"{self.verb} {self.path}"


def check_deploy_flags(stage: str | None, no_deploy: bool) -> None:
    """Refuse --stage with --no-deploy: one names the stage to deploy, the other deploys none."""
    if stage is not None and no_deploy:
        raise UsageError("--stage and --no-deploy contradict each other; pass only one")


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


class Pattern(Protocol):
    """A -m value as a backend parses it."""

    @property
    def is_glob(self) -> bool:
        """True when the pattern may stand for several methods or routes."""
        ...


P = TypeVar("P", bound=Pattern)


@dataclass(frozen=True)
class Rules(Generic[T, P]):
    """How a backend matches, names, orders its methods or routes and says which are eligible."""

    noun: str
    """'method' or 'route', for messages."""
    matches: Callable[[P, T], bool]
    key: Callable[[T], str]
    ineligibility: Callable[[T], str | None]
    order: Callable[[T], tuple[str, ...]]


@dataclass(frozen=True)
class Picked(Generic[T]):
    """The methods or routes to act on, and (key, why) of each one passed over."""

    items: tuple[T, ...]
    skipped: tuple[tuple[str, str], ...]
    named: frozenset[str] = frozenset()
    """Keys of the ones a -m without '*' names: a change that cannot take one is an error."""


def pick(candidates: Sequence[T], patterns: Sequence[P], everything: bool,
         rules: Rules[T, P], no_match: Callable[[P], str], on_empty: str) -> Picked[T]:
    """Resolve -m patterns, or --all (`candidates` in their order), against the candidates.

    Raises UsageError when a pattern matches nothing, names an ineligible one, or leaves none;
    `on_empty` is the message of --all finding none eligible.
    """
    if everything:
        return _eligible(candidates, rules, on_empty)
    chosen: dict[str, T] = {}
    skipped: dict[str, tuple[str, str]] = {}
    named: set[str] = set()
    for pattern in patterns:
        found = [item for item in candidates if rules.matches(pattern, item)]
        if not found:
            raise UsageError(no_match(pattern))
        if not pattern.is_glob:
            reason = rules.ineligibility(found[0])
            if reason is not None:
                raise UsageError(f"{rules.key(found[0])} is not eligible: {reason}")
            named.add(rules.key(found[0]))
        part = _eligible(found, rules, f"-m {str(pattern)!r} matches no eligible {rules.noun}")
        chosen.update((rules.key(item), item) for item in part.items)
        skipped.update((note[0], note) for note in part.skipped)
    for key in chosen:
        skipped.pop(key, None)
    ordered = tuple(sorted(chosen.values(), key=rules.order))
    return Picked(ordered, tuple(skipped.values()), frozenset(named))


def _eligible(candidates: Sequence[T], rules: Rules[T, P], on_empty: str) -> Picked[T]:
    keep: list[T] = []
    skipped: list[tuple[str, str]] = []
    for item in candidates:
        reason = rules.ineligibility(item)
        if reason is None:
            keep.append(item)
        else:
            skipped.append((rules.key(item), reason))
    if not keep:
        detail = f" ({len(skipped)} skipped: {skipped[0][0]}: {skipped[0][1]})" if (
            skipped) else ""
        raise UsageError(on_empty + detail)
    return Picked(tuple(keep), tuple(skipped))
