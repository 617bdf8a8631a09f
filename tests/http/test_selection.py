"""Route selection: -m 'VERB /path' patterns, '$default', --all, and the flags of a change."""

from __future__ import annotations

import pytest

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.http.intent import mode_change
from asyncgw.http.selection import RoutePattern, select
from tests.support.http_builders import integration, route, snapshot

SNAPSHOT = snapshot(
    [route("POST /jobs", "i1"), route("GET /jobs/{id}", "i2"), route("ANY /{proxy+}", "i3"),
     route("$default", "i1"), route("GET /legacy", "h1"), route("POST /none", None)],
    [integration("i1"), integration("i2", "reader"), integration("i3", "catch"),
     integration("h1", kind="HTTP_PROXY")],
)


def keys(patterns: list[str], everything: bool = False) -> list[str]:
    chosen = select(SNAPSHOT, [RoutePattern.parse(p) for p in patterns], everything)
    return [r.route_key for r in chosen.routes]


@pytest.mark.parametrize(("patterns", "expected"), [
    (["POST /jobs"], ["POST /jobs"]),
    (["post /jobs/"], ["POST /jobs"]),
    (["$default"], ["$default"]),
    (["GET /jobs/*"], ["GET /jobs/{id}"]),
    (["* /jobs*"], ["GET /jobs/{id}", "POST /jobs"]),
    (["ANY /{proxy+}"], ["ANY /{proxy+}"]),
    (["* /*"], ["ANY /{proxy+}", "GET /jobs/{id}", "POST /jobs"]),
    (["POST /jobs", "$default", "POST /jobs"], ["$default", "POST /jobs"]),
])
def test_patterns_pick_routes_by_key(patterns: list[str], expected: list[str]) -> None:
    assert keys(patterns) == expected


def test_all_takes_every_eligible_route_and_lists_the_others() -> None:
    chosen = select(SNAPSHOT, [], everything=True)
    assert [r.route_key for r in chosen.routes] == [
        "$default", "ANY /{proxy+}", "GET /jobs/{id}", "POST /jobs"]
    assert {n.route: n.reason for n in chosen.skipped} == {
        "GET /legacy": "HTTP_PROXY integration, not a Lambda function",
        "POST /none": "no integration",
    }


def test_a_glob_skips_ineligible_routes_but_naming_one_is_an_error() -> None:
    chosen = select(SNAPSHOT, [RoutePattern.parse("GET /*")], everything=False)
    assert [r.route_key for r in chosen.routes] == ["GET /jobs/{id}"]
    assert [n.route for n in chosen.skipped] == ["GET /legacy"]
    with pytest.raises(UsageError, match="GET /legacy is not eligible: HTTP_PROXY"):
        keys(["GET /legacy"])


@pytest.mark.parametrize(("pattern", "message"), [
    ("PUT /jobs", "no route PUT /jobs: /jobs has POST"),
    ("GET /nothing", "no route matches 'GET /nothing' in jobs; see them with: asyncgw status"),
    ("POST /none", "POST /none is not eligible: no integration"),
    ("* /legacy*", "matches no eligible route"),
])
def test_bad_selections_say_why(pattern: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        keys([pattern])


@pytest.mark.parametrize("text", ["POST", "FETCH /jobs", "POST jobs", "$other"])
def test_malformed_patterns_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        RoutePattern.parse(text)


@pytest.mark.parametrize(("routes", "everything", "stage", "no_deploy", "message"), [
    ((), False, None, False, "choose routes with -m"),
    (("POST /jobs",), True, None, False, "choose routes with -m"),
    (("POST /jobs",), False, "prod", True, "contradict"),
])
def test_the_flags_of_a_change_are_checked_before_any_aws_call(
    routes: tuple[str, ...], everything: bool, stage: str | None, no_deploy: bool, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        mode_change("api", Mode.ASYNC, routes=routes, everything=everything, stage=stage,
                    no_deploy=no_deploy)
