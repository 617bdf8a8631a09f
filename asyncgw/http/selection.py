"""Which routes a command acts on: -m 'VERB /path' (as for REST) or '$default', over route keys."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.errors import UsageError
from asyncgw.core.selection import MethodPattern
from asyncgw.http.models import HttpApiSnapshot, Route, RouteNote
from asyncgw.http.modes import ineligibility

DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class RoutePattern:
    """One -m value: the $default route, or a MethodPattern over 'VERB /path' route keys."""

    method: MethodPattern | None

    @classmethod
    def parse(cls, text: str) -> RoutePattern:
        """Parse '$default', 'POST /jobs' or '* /jobs/*'; raise UsageError for anything else."""
        if text.strip() == DEFAULT_ROUTE:
            return cls(None)
        return cls(MethodPattern.parse(text))

    @property
    def is_glob(self) -> bool:
        """True when the pattern may stand for several routes."""
        return self.method is not None and self.method.is_glob

    def matches(self, route: Route) -> bool:
        """True when the route's key fits this pattern ('*' spans '/', as for REST paths)."""
        if self.method is None:
            return route.route_key == DEFAULT_ROUTE
        parts = route.route_key.split(" ", 1)
        if len(parts) != 2:
            return False
        verb, path = parts
        if self.method.verb != "*" and self.method.verb != verb.upper():
            return False
        glob = ".*".join(re.escape(part) for part in self.method.path.split("*"))
        return re.fullmatch(glob, path) is not None

    def __str__(self) -> str:
        return DEFAULT_ROUTE if self.method is None else str(self.method)


@dataclass(frozen=True)
class RouteSelection:
    """The routes to act on, and the ones passed over with the reason."""

    routes: tuple[Route, ...]
    skipped: tuple[RouteNote, ...]


def select(
    snapshot: HttpApiSnapshot, patterns: Sequence[RoutePattern], everything: bool
) -> RouteSelection:
    """Resolve -m patterns or --all against the snapshot; raise UsageError for bad selections."""
    if everything:
        return _eligible(snapshot, sorted(snapshot.routes, key=lambda r: r.route_key),
                         on_empty="the API has no route that integrates a Lambda function")
    chosen: dict[str, Route] = {}
    skipped: dict[str, RouteNote] = {}
    for pattern in patterns:
        found = [r for r in snapshot.routes if pattern.matches(r)]
        if not found:
            raise UsageError(_no_match_message(pattern, snapshot))
        if not pattern.is_glob:
            reason = ineligibility(found[0], snapshot)
            if reason is not None:
                raise UsageError(f"{found[0].route_key} is not eligible: {reason}")
        part = _eligible(snapshot, found,
                         on_empty=f"-m {str(pattern)!r} matches no eligible route")
        chosen.update((r.route_key, r) for r in part.routes)
        skipped.update((n.route, n) for n in part.skipped)
    for key in chosen:
        skipped.pop(key, None)
    ordered = tuple(sorted(chosen.values(), key=lambda r: r.route_key))
    return RouteSelection(ordered, tuple(skipped.values()))


def _eligible(snapshot: HttpApiSnapshot, routes: Sequence[Route], on_empty: str
              ) -> RouteSelection:
    keep: list[Route] = []
    skipped: list[RouteNote] = []
    for route in routes:
        reason = ineligibility(route, snapshot)
        if reason is None:
            keep.append(route)
        else:
            skipped.append(RouteNote(route=route.route_key, reason=reason))
    if not keep:
        detail = f" ({len(skipped)} skipped: {skipped[0].route}: {skipped[0].reason})" if (
            skipped) else ""
        raise UsageError(on_empty + detail)
    return RouteSelection(tuple(keep), tuple(skipped))


def _no_match_message(pattern: RoutePattern, snapshot: HttpApiSnapshot) -> str:
    method = pattern.method
    if method is not None:
        same_path = sorted(r.route_key.split(" ", 1)[0] for r in snapshot.routes
                           if r.route_key.endswith(f" {method.path}"))
        if same_path:
            return f"no route {pattern}: {method.path} has {', '.join(same_path)}"
    return (
        f"no route matches {str(pattern)!r} in {snapshot.api.name or snapshot.api.api_id}; "
        f"see them with: asyncgw status {snapshot.api.api_id}"
    )
