"""What `install` attaches to moto, and what moto must still be lacking for it to make sense."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from asyncgw_sandbox import emulated_account, install
from asyncgw_sandbox.install import ADDED_HTTP_OPERATIONS, ADDED_OPERATIONS


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def test_unpatched_moto_still_lacks_the_operations_the_sandbox_adds():
    # If this fails, moto ships its own UpdateMethod/UpdateIntegration: compare it with
    # asyncgw_sandbox before deciding which one the tests should run against.
    found = json.loads(
        run_python(
            "import json\n"
            "from moto.apigateway.models import APIGatewayBackend\n"
            "from moto.apigateway.responses import APIGatewayResponse\n"
            f"names = {list(ADDED_OPERATIONS)!r}\n"
            "print(json.dumps([[c.__name__, n] for c in (APIGatewayBackend, APIGatewayResponse)"
            " for n in names if hasattr(c, n)]))\n"
        )
    )
    assert found == []


def test_unpatched_moto_still_lacks_http_api_deployments_and_update_stage():
    # If this fails, moto answers HTTP API deployments itself: compare it with
    # asyncgw_sandbox.http_deployments before deciding which one the tests should run against.
    found = json.loads(
        run_python(
            "import json\n"
            "import moto.apigateway.urls as urls\n"
            "from moto.apigatewayv2.models import ApiGatewayV2Backend\n"
            "from moto.apigatewayv2.responses import ApiGatewayV2Response\n"
            f"names = {list(ADDED_HTTP_OPERATIONS)!r}\n"
            "print(json.dumps([[c.__name__, n] for c in (ApiGatewayV2Backend, ApiGatewayV2Response)"
            " for n in names if hasattr(c, n)]"
            " + [p for p in urls.url_paths if 'deployments' in p and '/v2/' in p]))\n"
        )
    )
    assert found == []


def test_importing_asyncgw_and_the_sandbox_installs_nothing():
    # Only install() patches moto: not `import asyncgw` (its CLI included), not the sandbox's
    # modules, even with moto already imported.
    found = json.loads(
        run_python(
            "import json\n"
            "import asyncgw, asyncgw.cli, asyncgw_sandbox, asyncgw_sandbox.seed_http\n"
            "from moto.apigateway.models import APIGatewayBackend\n"
            "from moto.apigatewayv2.responses import ApiGatewayV2Response\n"
            "from moto.awslambda.responses import LambdaResponse\n"
            "print(json.dumps([getattr(c, n).__module__ for c, n in ("
            "(APIGatewayBackend, 'put_method'), (ApiGatewayV2Response, 'dispatch'),"
            " (LambdaResponse, 'put_function_event_invoke_config'))]"
            " + [hasattr(ApiGatewayV2Response, 'update_stage')]))\n"
        )
    )
    assert found == ["moto.apigateway.models", "moto.core.responses", "moto.awslambda.responses",
                     False]


def test_installed_operations_are_the_sandbox_ones():
    from moto.apigateway.models import APIGatewayBackend
    from moto.apigateway.responses import APIGatewayResponse
    from moto.apigatewayv2.models import ApiGatewayV2Backend
    from moto.apigatewayv2.responses import ApiGatewayV2Response

    install()
    for owner in (APIGatewayBackend, APIGatewayResponse):
        for name in ADDED_OPERATIONS:
            assert getattr(owner, name).__module__.startswith("asyncgw_sandbox."), (owner, name)
    for owner in (ApiGatewayV2Backend, ApiGatewayV2Response):
        for name in ADDED_HTTP_OPERATIONS:
            assert getattr(owner, name).__module__.startswith("asyncgw_sandbox."), (owner, name)


def test_install_twice_wraps_once():
    from moto.apigateway.models import Integration

    install()
    first = Integration.to_json
    install()
    assert Integration.to_json is first


def test_importing_the_package_loads_neither_moto_nor_boto3():
    loaded = json.loads(
        run_python(
            "import json, sys\n"
            "import asyncgw_sandbox\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules}"
            " & {'moto', 'boto3', 'botocore'})))\n"
        )
    )
    assert loaded == []


def test_emulated_account_sets_and_restores_a_missing_region(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with emulated_account(region="eu-west-1"):
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert "AWS_DEFAULT_REGION" not in os.environ
