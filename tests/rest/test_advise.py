"""advise's ranking, reasons and commands, from figures alone (no AWS)."""

from __future__ import annotations

import pytest

from asyncgw.aws.pacing import Pacer
from asyncgw.core.modes import Mode
from asyncgw.rest.advise import Candidate, Figures, FunctionFigures, rank, seconds
from asyncgw.rest.metrics import Query, api_name_dimension, summary

API, STAGE = "a1b2c3d4e5", "prod"


def candidate(key: str, method: Figures | None = None, function: FunctionFigures | None = None,
              mode: Mode = Mode.SYNC, proxy: bool = False, timeout: int = 29000,
              **more: object) -> Candidate:
    return Candidate(key=key, mode=mode, integration_type="AWS_PROXY" if proxy else "AWS",
                     timeout_ms=timeout, proxy=proxy, method=method, function=function,
                     **more)  # type: ignore[arg-type]


def test_the_method_nearest_its_timeout_comes_first_with_its_figures_and_command() -> None:
    ranked = rank([
        candidate("GET /orders", Figures(310, 400, 0, 150)),
        candidate("PUT /orders/{id}", Figures(27900, 28400, 0, 40)),
        candidate("GET /orders/{id}", Figures(1900, 29000, 1, 150)),
    ], API, STAGE)
    assert [a.candidate.key for a in ranked] == [
        "PUT /orders/{id}", "GET /orders/{id}", "GET /orders"]
    first, second, healthy = ranked
    assert first.level == "strong"
    assert first.reason == "IntegrationLatency p99 27.9 s, max 28.4 s of the 29 s timeout"
    assert first.command == f"asyncgw enable-switchable {API} -m 'PUT /orders/{{id}}' --stage prod"
    assert second.level == "strong"  # a maximum at the timeout: calls likely got 504s
    assert second.reason == ("IntegrationLatency p99 1.9 s, max 29 s of the 29 s timeout; 1 5XX "
                             "answer of 150 calls (likely 504s: calls hit the timeout)")
    assert (healthy.level, healthy.command) == ("none", None)
    assert healthy.reason == "no sign of slowness, 5XX answers or throttling"


def test_a_raised_integration_timeout_is_the_yardstick() -> None:
    [advice] = rank([candidate("POST /reports", Figures(27000, 28000, 0, 10), timeout=120000)],
                    API, STAGE)
    assert advice.level == "none" and advice.command is None


def test_a_function_that_outlives_the_wait_gets_enable_async() -> None:
    function = FunctionFigures("reports", timeout_s=300, duration_p99=95000, duration_max=200000)
    [advice] = rank([candidate("POST /reports", Figures(29000, 29000, 12, 30), function)],
                    API, STAGE)
    assert advice.command == f"asyncgw enable-async {API} -m 'POST /reports' --stage prod"


def test_a_proxy_method_gets_the_conversion() -> None:
    [advice] = rank([candidate("ANY /webhooks", Figures(16500, 16500, 0, 44), proxy=True,
                               mode=Mode.NOT_ELIGIBLE)], API, STAGE)
    assert advice.level == "some"
    assert advice.command == (f"asyncgw enable-switchable {API} -m 'ANY /webhooks' "
                              "--convert-proxy --stage prod")


def test_without_detailed_metrics_the_function_decides_and_the_reason_says_so() -> None:
    slow = FunctionFigures("orders-api", timeout_s=30, duration_p99=26900, duration_max=30000)
    fast = FunctionFigures("catalog", timeout_s=3, duration_p99=120, duration_max=300)
    ranked = rank([candidate("GET /catalog", None, fast), candidate("PUT /o", None, slow)],
                  API, STAGE)
    assert [a.candidate.key for a in ranked] == ["PUT /o", "GET /catalog"]
    assert ranked[0].reason == ("orders-api Duration p99 26.9 s (its timeout 30 s); async "
                                "invocation does not lift the function's own timeout (no "
                                "per-method figures: detailed metrics are off)")
    assert ranked[0].level == "function"  # never "strong" from the function alone
    assert ranked[0].command == f"asyncgw enable-switchable {API} -m 'PUT /o' --stage prod"
    assert ranked[1].level == "none"


def test_with_per_method_figures_a_shared_function_is_no_evidence_but_throttles_are() -> None:
    shared = FunctionFigures("orders-api", timeout_s=30, duration_p99=26900, throttles=4)
    [advice] = rank([candidate("GET /orders", Figures(300, 310, 0, 150), shared)], API, STAGE)
    assert advice.level == "some"
    assert advice.reason == "orders-api throttled 4 times"


def test_async_and_ineligible_methods_come_last_with_what_happens_to_failed_events() -> None:
    ranked = rank([
        candidate("GET /health", mode=Mode.NOT_ELIGIBLE, reason_not_eligible="MOCK integration"),
        candidate("POST /jobs", mode=Mode.ASYNC, failed_events=("jobs keeps failed events",)),
        candidate("GET /idle", Figures()),
    ], API, STAGE)
    assert [(a.candidate.key, a.level) for a in ranked] == [
        ("GET /idle", "no data"), ("POST /jobs", "already"), ("GET /health", "not eligible")]
    assert ranked[1].reason == "already async: jobs keeps failed events"
    assert ranked[2].reason == "MOCK integration"
    assert all(a.command is None for a in ranked)


def test_figures_over_the_window_never_understate() -> None:
    p99 = Query("AWS/ApiGateway", "IntegrationLatency", (), "p99")
    count = Query("AWS/ApiGateway", "Count", (), "SampleCount")
    values = {p99: (1200.0, 27000.0, 800.0), count: (10.0, 5.0)}
    assert summary(values, p99) == 27000.0  # the highest daily p99
    assert summary(values, count) == 15.0
    assert summary({}, p99) is None


def test_the_api_name_dimension_drops_non_ascii_characters() -> None:
    assert api_name_dimension("commandes-été", "a1b2c3d4e5") == "commandes-t"
    assert api_name_dimension("注文", "a1b2c3d4e5") == "a1b2c3d4e5"
    assert (seconds(27900), seconds(29000), seconds(180)) == ("27.9 s", "29 s", "180 ms")


def test_cloudwatch_calls_have_their_own_quota_and_spend_none_of_api_gateways() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(clock=lambda: now[0], sleep=sleep, headroom=0.0)
    for _ in range(50):  # GetMetricData's 50 per second [DOC CloudWatch service quotas]
        pacer.acquire("cloudwatch", "GetMetricData")
    for _ in range(40):  # API Gateway's burst is untouched
        pacer.acquire("apigateway", "GetRestApi")
    assert waits == []
    pacer.acquire("cloudwatch", "GetMetricData")
    assert waits == [pytest.approx(1 / 50)]


def test_with_its_own_figures_a_method_behind_a_slow_shared_function_stays_switchable() -> None:
    shared = FunctionFigures("orders-api", timeout_s=60, duration_p99=31000, duration_max=40000)
    [advice] = rank([candidate("GET /orders/{id}", Figures(200, 900, 3, 150), shared,
                               shared_by=4)], API, STAGE)
    assert advice.command is None  # its own figures: fast, and 5XX far below the timeout
    assert advice.reason == ("3 5XX answers of 150 calls, max 900 ms, far below the timeout: "
                             "errors that async invocation does not fix")
    [slow] = rank([candidate("GET /orders/{id}", Figures(20000, 29000, 3, 150), shared,
                             shared_by=4)], API, STAGE)
    assert slow.command == f"asyncgw enable-switchable {API} -m 'GET /orders/{{id}}' --stage prod"


def test_a_method_whose_own_p99_is_at_the_timeout_gets_enable_async() -> None:
    [advice] = rank([candidate("POST /reports", Figures(28900, 29000, 5, 30))], API, STAGE)
    assert advice.command == f"asyncgw enable-async {API} -m 'POST /reports' --stage prod"


def test_without_per_method_figures_a_shared_function_never_earns_a_command() -> None:
    shared = FunctionFigures("orders-api", timeout_s=60, duration_p99=31000, duration_max=40000)
    ranked = rank([candidate(key, None, shared, shared_by=2) for key in ("GET /a", "PUT /b")],
                  API, STAGE)
    assert [(a.level, a.command) for a in ranked] == [("function", None), ("function", None)]
    assert ranked[0].reason == (
        "orders-api Duration p99 31 s (its timeout 60 s), longer than API Gateway waits; "
        "async invocation does not lift the function's own timeout; orders-api serves 2 "
        "methods: this figure may come from any of them (no per-method figures: detailed "
        "metrics are off)")
    alone = FunctionFigures("reports", timeout_s=300, duration_p99=95000)
    [one] = rank([candidate("POST /reports", None, alone)], API, STAGE)
    assert one.command == f"asyncgw enable-async {API} -m 'POST /reports' --stage prod"


def test_empty_per_method_figures_fall_back_to_the_function_with_a_caveat() -> None:
    slow = FunctionFigures("reports", timeout_s=300, duration_p99=25000)
    [advice] = rank([candidate("POST /reports", Figures(), slow)], API, STAGE)
    assert advice.level == "function"
    assert advice.reason == ("reports Duration p99 25 s (its timeout 300 s) (detailed "
                             "metrics are on, but no per-method figures in the window: no "
                             "calls, or turned on recently?)")
    assert advice.command == f"asyncgw enable-switchable {API} -m 'POST /reports' --stage prod"


def test_a_stage_serving_another_mode_than_the_api_defines_points_at_redeploy() -> None:
    ranked = rank([
        candidate("PUT /orders/{id}", Figures(27900, 28400, 0, 40), mode=Mode.SYNC,
                  defined_mode=Mode.SWITCHABLE),
        candidate("POST /orders", mode=Mode.ASYNC, defined_mode=Mode.SYNC),
    ], API, STAGE, " --region eu-west-1 --profile ops")
    put, post = ranked
    assert put.level == "strong" and put.candidate.mode is Mode.SYNC
    assert put.reason.endswith("; the API defines it switchable but stage prod serves sync: "
                               "asyncgw redeploy makes the stage serve the API's definition")
    assert put.command == f"asyncgw redeploy {API} --stage prod --region eu-west-1 --profile ops"
    assert post.level == "already" and "the API defines it sync" in post.reason


def test_commands_repeat_the_region_and_profile_given() -> None:
    [advice] = rank([candidate("PUT /o", Figures(27900, 28400, 0, 40))], API, STAGE,
                    " --region eu-west-1 --profile ops")
    assert advice.command == (f"asyncgw enable-switchable {API} -m 'PUT /o' --stage prod "
                              "--region eu-west-1 --profile ops")
