"""docs/library.md: its example runs on the sandbox, and its signatures are the functions'."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, seed_orders_api
from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api

import asyncgw
from asyncgw.core.errors import AwsSetupError, UsageError
from asyncgw.http import gateway as http_gateway
from asyncgw.http.backend import HttpBackend
from asyncgw.rest.backend import RestBackend
from tests.docs.markdown import DOCS, ROOT, blocks

PAGE = (DOCS / "library.md").read_text(encoding="utf-8")
SIGNATURE = re.compile(r"`asyncgw\.(?P<name>\w+)\((?P<params>[^`]*)\)`")


def _example(marker: str = "library-example") -> str:
    [block] = [b for b in blocks(PAGE) if b.marker == marker]
    assert block.info == "python"
    return block.body


def _run(code: str) -> list[str]:
    """The lines a page example prints, run in a fresh interpreter without AWS settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**env, "NO_COLOR": "1"},
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_example_runs_and_prints_what_the_page_says() -> None:
    lines = _run(_example())
    stdout = "\n".join(lines)
    assert lines[0] == "GET /orders is sync"
    assert "+ integration.request.header.X-Amz-Invocation-Type = 'Event'" in stdout
    assert "deploys prod" in lines
    assert "[1/1] updating integration request of GET /orders" in lines
    live = [line for line in lines if line.startswith("live in deployment ")]
    assert len(live) == 1 and live[0] != "live in deployment None"
    assert lines[-1] == "nothing left to do: True"


def test_the_session_example_runs_every_call_through_the_callers_session() -> None:
    assert _run(_example("library-session")) == [
        "POST /jobs is async", "called apigateway, apigatewayv2, iam, lambda, sts"]
    assert "`POST /jobs is async` and `called apigateway, apigatewayv2, iam, lambda, sts`" in (
        " ".join(PAGE.split()))


def test_a_session_of_your_own_makes_both_gateways_with_max_rps_and_endpoint(
    account: Clients,
) -> None:
    orders = seed_orders_api(account)
    events = seed_sample_http_api(http_api_clients(account))
    session = boto3.Session(region_name="us-east-1")
    asked: set[str] = set()
    session.events.register("before-call",
                            lambda model, **_: asked.add(model.service_model.service_name))
    chosen = asyncgw.Account(session=session, max_rps=3)
    rest, http = asyncgw.find(orders.api_id, chosen), asyncgw.find(events.api_id, chosen)
    assert isinstance(rest, RestBackend) and isinstance(http, HttpBackend)
    assert asked == {"apigateway", "apigatewayv2"}
    for gateway in (rest.gateway, http.gateway):
        assert gateway.pacer is not None and gateway.pacer.account.rate == 3
    with pytest.raises(AwsSetupError, match=r"cannot reach http://127\.0\.0\.1:9/"):
        asyncgw.status(orders.api_id,
                       account=asyncgw.Account(session=session, endpoint_url="http://127.0.0.1:9"))


def test_a_session_comes_alone_and_with_a_region(monkeypatch: pytest.MonkeyPatch) -> None:
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                            region_name="us-east-1")
    with pytest.raises(UsageError, match="pass the session alone"):
        asyncgw.status("a1b2c3d4e5", account=asyncgw.Account(session=session, region="eu-west-1"))
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/asyncgw-test-config")
    with pytest.raises(AwsSetupError, match=r"the boto3 session has no region"):
        asyncgw.status("a1b2c3d4e5", account=asyncgw.Account(session=boto3.Session()))


def test_the_http_gateway_is_injected_like_the_rest_one(account: Clients) -> None:
    seed_sample_http_api(http_api_clients(account))
    made: list[http_gateway.HttpGateway] = []

    def connect_http(profile: str | None, region: str | None, endpoint: str | None
                     ) -> http_gateway.HttpGateway:
        made.append(http_gateway.connect(profile, region, endpoint))
        return made[-1]

    found = asyncgw.find("events", asyncgw.Account(region="us-east-1", connect_http=connect_http))
    assert isinstance(found, HttpBackend) and [found.gateway] == made
    routes = {r["routeKey"]: r["mode"] for r in found.status(None).data["routes"]}
    assert routes["POST /jobs"] == "sync"


def _plain(signature: inspect.Signature) -> str:
    """'api, *, stage=None, account=None': names and defaults, without annotations."""
    parts: list[str] = []
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in parts:
            parts.append("*")
        default = "" if parameter.default is parameter.empty else f"={parameter.default!r}"
        parts.append(parameter.name + default)
    return ", ".join(parts).replace("'", '"')


def test_each_documented_signature_is_the_functions_own() -> None:
    documented = {m["name"]: m["params"] for m in SIGNATURE.finditer(PAGE)
                  if m["params"] != "..."}
    functions = {name for name in asyncgw.__all__ if inspect.isfunction(getattr(asyncgw, name))}
    assert functions <= set(documented), "every entry point is on the page"
    for name, params in documented.items():
        assert params == _plain(inspect.signature(getattr(asyncgw, name))), name


def test_import_asyncgw_loads_no_backend_until_an_entry_point_is_used() -> None:
    probe = ("import sys\nimport asyncgw\nprint(sorted(m for m in sys.modules "
             "if m.startswith(('asyncgw.', 'boto3', 'click', 'rich'))))\n"
             "asyncgw.plan_change\nprint('asyncgw.library' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.stdout.splitlines() == ["[]", "True"], done.stderr


def test_the_page_is_in_the_site_navigation() -> None:
    assert "library.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
