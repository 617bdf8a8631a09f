"""Parsing -m patterns and resolving them against an API."""

from __future__ import annotations

import pytest

from asyncgw.core.errors import UsageError
from asyncgw.core.selection import MethodPattern
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import Integration
from tests.support.rest_builders import lambda_integration, method, snapshot

API = snapshot([
    method("POST /jobs"),
    method("GET /jobs"),
    method("POST /jobs/{id}/cancel"),
    method("ANY /proxy", integration=lambda_integration(type_="AWS_PROXY")),
    method("GET /health", integration=Integration(type="MOCK")),
])


def keys(selection) -> list[str]:
    return [m.key for m in selection.methods]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POST /jobs", ("POST", "/jobs")),
        ("post   /jobs/", ("POST", "/jobs")),
        ("* /jobs/*", ("*", "/jobs/*")),
        ("ANY /", ("ANY", "/")),
    ],
)
def test_parse_accepts_verb_and_path(text, expected) -> None:
    pattern = MethodPattern.parse(text)
    assert (pattern.verb, pattern.path) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("POST", "is not 'VERB /path'"), ("FETCH /jobs", "unknown verb"),
     ("POST jobs", "must start with '/'"), ("POST /a /b", "is not 'VERB /path'")],
)
def test_parse_rejects_malformed_patterns(text, fragment) -> None:
    with pytest.raises(UsageError, match=fragment):
        MethodPattern.parse(text)


def test_exact_pattern_selects_one_method() -> None:
    assert keys(select(API, [MethodPattern.parse("POST /jobs")], False)) == ["POST /jobs"]


def test_star_verb_and_path_glob() -> None:
    chosen = select(API, [MethodPattern.parse("* /jobs*")], False)
    assert keys(chosen) == ["GET /jobs", "POST /jobs", "POST /jobs/{id}/cancel"]


def test_glob_skips_ineligible_methods_with_reason() -> None:
    chosen = select(API, [MethodPattern.parse("* /*")], False)
    assert "ANY /proxy" not in keys(chosen)
    assert {n.method for n in chosen.skipped} == {"ANY /proxy", "GET /health"}


def test_all_takes_eligible_methods_and_lists_the_rest() -> None:
    chosen = select(API, [], True)
    assert keys(chosen) == ["GET /jobs", "POST /jobs", "POST /jobs/{id}/cancel"]
    assert [n.method for n in chosen.skipped] == ["GET /health", "ANY /proxy"]


def test_explicit_ineligible_method_is_an_error_with_the_reason() -> None:
    with pytest.raises(UsageError, match="ANY /proxy is not eligible: Lambda proxy"):
        select(API, [MethodPattern.parse("ANY /proxy")], False)


def test_unknown_method_names_what_the_path_has() -> None:
    with pytest.raises(UsageError, match="/jobs has GET, POST"):
        select(API, [MethodPattern.parse("DELETE /jobs")], False)


def test_any_is_the_any_method_not_every_verb() -> None:
    with pytest.raises(UsageError, match="use '\\*' for every verb"):
        select(API, [MethodPattern.parse("ANY /jobs")], False)


def test_unknown_path_points_at_status() -> None:
    with pytest.raises(UsageError, match="asyncgw status abcde12345"):
        select(API, [MethodPattern.parse("POST /nope")], False)


def test_glob_matching_only_ineligible_methods_is_an_error() -> None:
    with pytest.raises(UsageError, match="matches no eligible method"):
        select(API, [MethodPattern.parse("* /health*")], False)


def test_all_on_an_api_without_lambda_methods_is_an_error() -> None:
    with pytest.raises(UsageError, match="no Lambda non-proxy method"):
        select(snapshot([method("GET /x", integration=Integration(type="MOCK"))]), [], True)


def test_overlapping_patterns_select_each_method_once() -> None:
    chosen = select(API, [MethodPattern.parse("POST /jobs"), MethodPattern.parse("* /jobs")],
                    False)
    assert keys(chosen) == ["GET /jobs", "POST /jobs"]
