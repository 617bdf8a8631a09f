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
    assert second.level == "strong"  # a maximum at the timeout: calls got 504s
    assert second.reason == ("IntegrationLatency p99 1.9 s, max 29 s of the 29 s timeout; 1 5XX "
                             "answers of 150 calls (504s: calls hit the timeout)")
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
    assert ranked[0].reason == ("orders-api Duration p99 26.9 s (its timeout 30 s) (no per-method "
                                "figures: detailed metrics are off)")
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
