"""Which routes a command acts on: -m 'VERB /path' (as for REST) or '$default', over route keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.selection import DEFAULT_ROUTE, MethodPattern, Rules, pick
from asyncgw.http.modes import ineligibility
from asyncgw.http.plan import RouteNote
from asyncgw.http.snapshot import HttpApiSnapshot, Route


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
        return self.method.fits(verb.upper(), path)

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
    rules: Rules[Route, RoutePattern] = Rules(
        noun="route", matches=lambda pattern, r: pattern.matches(r), key=lambda r: r.route_key,
        ineligibility=lambda r: ineligibility(r, snapshot), order=lambda r: (r.route_key,))
    picked = pick(sorted(snapshot.routes, key=lambda r: r.route_key), patterns, everything,
                  rules, no_match=lambda pattern: _no_match_message(pattern, snapshot),
                  on_empty="the API has no route that integrates a Lambda function")
    return RouteSelection(picked.items,
                          tuple(RouteNote(route=key, reason=why) for key, why in picked.skipped))


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
