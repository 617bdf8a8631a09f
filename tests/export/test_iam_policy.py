"""The IAM policy: valid JSON, and exactly the calls rest/gateway.py, rest/functions.py, advise
(rest/metrics.py, rest/advisor.py) and asyncgw.http make (and no other module of asyncgw
reaches AWS)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

import asyncgw
import asyncgw.http
import asyncgw.rest.functions
import asyncgw.rest.gateway
from asyncgw import iam_policy
from asyncgw.aws.calls import iam_action
from asyncgw.aws.errors import client_error
from asyncgw.core.modes import Mode
from asyncgw.http import recipe, steps
from asyncgw.http.snapshot import Forwarder
from asyncgw.iam_policy import (
    ANY,
    API,
    FORWARDERS,
    FUNCTION_GRANTS,
    FUNCTIONS,
    GRANTS,
    HTTP_PERMISSIONS,
    METRIC_GRANTS,
    PERMISSIONS,
    ROLE,
    TARGETS,
    Grant,
    partition,
    policy,
    resources,
)

VERB_ACTIONS = {"apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH",
                "apigateway:DELETE"}
SERVICES = ("apigateway", "apigatewayv2")
HTTP_SERVICES = ("apigatewayv2", "lambda", "iam", "sts")
FORWARDER_SOURCES = ("gateway.py", "steps.py", "executor.py")
"""The modules of asyncgw.http that make or name AWS calls: gateway.py sends them, steps.py
plans them as ApiCall, executor.py sends those (forwarder/handler.py runs inside Lambda, as
the forwarder's role, not as the identity running asyncgw)."""
CLIENTS = {"apigatewayv2": "apigatewayv2", "lambda_": "lambda", "iam": "iam", "sts": "sts",
           "_v2": "apigatewayv2", "_lambda": "lambda", "_iam": "iam", "_sts": "sts"}
"""HttpGateway's client attributes (the raw ones, and those behind aws.calls) and services."""
ADVISE_SOURCES = ("rest/metrics.py", "rest/advisor.py")
"""advise's modules: CloudWatch's GetMetricData, and the stage and function reads it adds."""
CALLERS = {"rest/gateway.py", "rest/functions.py", "http/gateway.py", *ADVISE_SOURCES}
"""The modules that send AWS calls, each scanned by a test below; steps.py and executor.py
plan and send theirs through http/gateway.py."""
PLUMBING = {"aws/calls.py", "aws/errors.py", "aws/session.py", "aws/trace.py", "library.py"}
"""The modules that touch boto3 but name no call of their own: making clients, the one call
wrapper, its errors, --trace, the library's Account (which passes a caller's session on)."""
FORWARDER_CODE = {"http/forwarder/handler.py"}
"""The forwarder Lambda's own code: it invokes the target as the forwarder's role."""
_REACHES_AWS = re.compile(
    r"^\s*(?:import|from)\s+(?:boto3|botocore|asyncgw\.aws\.(?:calls|session))\b"
    r"|^\s*from\s+asyncgw\.aws\s+import\s+.*\b(?:calls|session)\b", re.MULTILINE)
PERMISSION_ONLY_ACTIONS = {"iam:PassRole"}
"""IAM actions that are no API operation: AWS checks them on behalf of another call."""
HTTP_API_ID, REGION, ACCOUNT = "h1t2t3p4a5", "eu-west-1", "123456789012"
TARGET = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:jobs"


def service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def gateway_calls(source: str | None = None) -> set[tuple[str, str]]:
    """(service, operation) for every AWS operation gateway.py names, however it calls it.

    Operation names appear as strings, which aws.calls.Service sends through its client
    (self._apigateway.call("UpdateMethod", ...), http_apis.call("GetApis")), where a name both
    services have counts for apigateway, or as client method names (v2.get_apis(...)), where a
    name both services have counts for both.
    """
    tree = ast.parse(source or Path(asyncgw.rest.gateway.__file__).read_text())
    operations = {s: set(service_model(s).operation_names) for s in SERVICES}
    methods = {s: {snake(op): op for op in ops} for s, ops in operations.items()}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            service = next((s for s in SERVICES if node.value in operations[s]), None)
            if service is not None:
                found.add((service, node.value))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self")):
            found |= {(s, methods[s][node.func.attr]) for s in SERVICES
                      if node.func.attr in methods[s]}
    return found


def function_calls(source: str | None = None) -> set[tuple[str, str]]:
    """('lambda', operation) for every Lambda operation functions.py names, however it calls it.

    aws.calls.Service takes the operation's name as a string
    (self._lambda.call("GetFunctionConcurrency", ...)); a client method
    (self.client.get_alias(...)) counts too.
    """
    tree = ast.parse(source or Path(asyncgw.rest.functions.__file__).read_text())
    operations = set(service_model("lambda").operation_names)
    methods = {xform_name(op): op for op in operations}
    found = set()
    for node in ast.walk(tree):
        name = _text(node)
        if name in operations:
            found.add(("lambda", name))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in methods):
            found.add(("lambda", methods[node.func.attr]))
    return found


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def forwarder_calls(sources: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """(service, operation) for every AWS operation asyncgw.http makes, however spelled.

    Recognised forms: self._lambda.call("GetFunction", ...) (the service from the attribute
    holding its aws.calls.Service), self._pages("GetRoutes") (apigatewayv2),
    self._iam_pages("ListRolePolicies", ...) (iam), ApiCall(service="iam",
    operation="CreateRole", ...), and client methods (self.lambda_.get_function(...)). Any other
    string or method name that is an operation of one of the four services counts for each
    service that has it, so a new way of calling cannot slip past.
    """
    if sources is None:
        folder = Path(asyncgw.http.__file__).parent
        sources = [(folder / name).read_text() for name in FORWARDER_SOURCES]
    operations = {s: set(service_model(s).operation_names) for s in HTTP_SERVICES}
    methods = {s: {xform_name(op): op for op in ops} for s, ops in operations.items()}
    found: set[tuple[str, str]] = set()
    for source in sources:
        consumed: set[int] = set()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                found |= _recognised(node, consumed, methods)
        for node in ast.walk(tree):
            name = _text(node)
            if name is not None and id(node) not in consumed:
                found |= {(s, name) for s in HTTP_SERVICES if name in operations[s]}
    return found


def _recognised(call: ast.Call, consumed: set[int],
                methods: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    args = [_text(a) for a in call.args]
    keywords = {k.arg: k.value for k in call.keywords}
    pair: tuple[str | None, str | None, list[ast.expr]] = (None, None, [])
    owner = func.value.attr if isinstance(func, ast.Attribute) and isinstance(
        func.value, ast.Attribute) else None
    if name == "call" and owner in CLIENTS and args:
        pair = (CLIENTS[owner], args[0], call.args[:1])
    elif name == "_pages" and args:
        pair = ("apigatewayv2", args[0], call.args[:1])
    elif name == "_iam_pages" and args:
        pair = ("iam", args[0], call.args[:1])
    elif name == "ApiCall" and {"service", "operation"} <= set(keywords):
        pair = (_text(keywords["service"]), _text(keywords["operation"]),
                [keywords["service"], keywords["operation"]])
    service, operation, nodes = pair
    if service is not None and operation is not None:
        consumed.update(id(n) for n in nodes)
        return {(service, operation)}
    if isinstance(func, ast.Attribute) and not (
            isinstance(func.value, ast.Name) and func.value.id == "self"):
        services = [CLIENTS[owner]] if owner in CLIENTS else list(methods)
        return {(s, methods[s][func.attr]) for s in services if func.attr in methods[s]}
    return set()


def iam_path(service: str, operation: str) -> tuple[str, str]:
    """(verb, resource path) of an operation, from botocore's service model."""
    http = service_model(service).operation_model(operation).http
    uri = str(http["requestUri"]).split("?")[0]
    if service == "apigatewayv2":
        uri = uri.removeprefix("/v2")  # IAM names HTTP API resources without the /v2 prefix
    uri = re.sub(r"\{(?!restapi_id\}|apiId\})[^}]+\}", "*", uri)
    return str(http["method"]), uri.replace("{restapi_id}", API).replace("{apiId}", API)


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def allowed(document: dict[str, Any], action: str, resource: str,
            context: dict[str, str] | None = None) -> bool:
    """True when a statement allows the action on the resource with this request context."""
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow" or action not in _actions(statement):
            continue
        if not any(fnmatchcase(resource, pattern) for pattern in statement["Resource"]):
            continue
        tests = statement.get("Condition", {})
        assert set(tests) <= {"StringEquals"}, tests
        if all((context or {}).get(key) == value
               for key, value in tests.get("StringEquals", {}).items()):
            return True
    return False


# Every call of the product is in one of the scanned modules


def _modules() -> dict[str, str]:
    """Every module of asyncgw by its path inside the package, and its source."""
    root = Path(asyncgw.__file__).parent
    return {path.relative_to(root).as_posix(): path.read_text() for path in root.rglob("*.py")}


def _reaching_aws(modules: dict[str, str]) -> set[str]:
    """The modules that can make a client or send a call: they import boto3, botocore, the
    call wrapper or the module that makes clients."""
    return {name for name, source in modules.items() if _REACHES_AWS.search(source)}


def _planning_calls(modules: dict[str, str]) -> set[str]:
    """The modules that spell out a call for HttpGateway.send to make (ApiCall(...))."""
    return {name for name, source in modules.items() if any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ApiCall"
        for node in ast.walk(ast.parse(source)))}


def test_only_the_scanned_modules_reach_aws() -> None:
    modules = _modules()
    assert _reaching_aws(modules) == CALLERS | PLUMBING | FORWARDER_CODE
    assert _planning_calls(modules) <= {f"http/{name}" for name in FORWARDER_SOURCES}


def test_the_plumbing_calls_no_operation_by_name() -> None:
    # aws.calls sends whatever operation its callers name; the plumbing names none itself.
    methods = {xform_name(op) for s in {*SERVICES, *HTTP_SERVICES}
               for op in service_model(s).operation_names}
    for name in PLUMBING:
        tree = ast.parse(_modules()[name])
        called = {node.func.attr for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
        assert called & methods == set(), name


def test_a_call_from_a_new_module_would_be_caught() -> None:
    modules = {**_modules(), "rest/tags.py": (
        "from asyncgw.aws.calls import Service\n\n"
        "def tag(client):\n    Service(client).call('TagResource', resourceArn='a')\n")}
    assert _reaching_aws(modules) - (CALLERS | PLUMBING | FORWARDER_CODE) == {"rest/tags.py"}
    modules["http/cleanup.py"] = (
        "def tidy():\n    return ApiCall(service='lambda', operation='DeleteAlias', params={})\n")
    assert "http/cleanup.py" in _planning_calls(modules)


# REST APIs: gateway.py


def test_gateway_calls_exactly_the_operations_the_policy_lists() -> None:
    calls = gateway_calls()
    assert ("apigateway", "UpdateMethod") in calls and ("apigatewayv2", "GetApis") in calls
    listed = {(p.service, p.operation) for p in PERMISSIONS}
    assert calls - listed == set(), "gateway.py calls operations the IAM policy does not allow"
    assert listed - calls == set(), "the IAM policy allows operations gateway.py never calls"


def test_the_scan_finds_operations_in_either_spelling() -> None:
    source = (
        "class Gateway:\n"
        "    def export(self):\n"
        "        self._apigateway.call('GetExport', restApiId='x')\n"
        "        self.client.get_deployments(restApiId='x')\n"
        "        v2.get_routes(ApiId='x')\n"
    )
    assert gateway_calls(source) == {
        ("apigateway", "GetExport"), ("apigateway", "GetDeployments"),
        ("apigatewayv2", "GetDeployments"), ("apigatewayv2", "GetRoutes")}


@pytest.mark.parametrize("permission", PERMISSIONS + HTTP_PERMISSIONS,
                         ids=lambda p: f"{p.service}.{p.operation}")
def test_each_permission_is_the_verb_and_path_of_its_operation(permission: Any) -> None:
    assert iam_path(permission.service, permission.operation) == (
        permission.verb, permission.path)


# REST APIs: functions.py, the async configuration of the functions methods invoke


def test_functions_call_exactly_the_operations_the_function_grants_list() -> None:
    calls = function_calls()
    assert {("lambda", "GetFunctionEventInvokeConfig"),
            ("lambda", "UpdateFunctionEventInvokeConfig")} <= calls
    listed = {(g.service, g.operation) for g in FUNCTION_GRANTS}
    assert calls - listed == set(), "functions.py calls operations the IAM policy does not allow"
    assert listed - calls == set(), "the IAM policy allows operations functions.py never calls"


def test_the_function_scan_finds_operations_in_either_spelling() -> None:
    source = (
        "class Functions:\n"
        "    def read(self, name):\n"
        "        self._lambda.call('ListAliases', FunctionName=name)\n"
        "        self.client.get_alias(FunctionName=name, Name='live')\n"
    )
    assert function_calls(source) == {("lambda", "ListAliases"), ("lambda", "GetAlias")}


def test_a_new_call_in_functions_would_be_caught() -> None:
    source = Path(asyncgw.rest.functions.__file__).read_text() + (
        "\n\ndef reserve(client, name):\n"
        "    Service(client).call('PutFunctionConcurrency', FunctionName=name)\n")
    listed = {(g.service, g.operation) for g in FUNCTION_GRANTS}
    assert function_calls(source) - listed == {("lambda", "PutFunctionConcurrency")}


@pytest.mark.parametrize("grant", FUNCTION_GRANTS, ids=lambda g: g.operation)
def test_each_function_grant_is_the_action_of_its_call_on_any_function(grant: Grant) -> None:
    assert grant.service == "lambda" and grant.action == f"lambda:{grant.operation}"
    assert grant.operation in service_model("lambda").operation_names
    assert grant.resource == TARGETS and not grant.condition
    # Reads serve status; writes only the --on-failure, --max-retries and --max-event-age flags.
    expected = "ReadFunctions" if grant.operation.startswith("Get") else "ConfigureFunctions"
    assert grant.purpose == expected


def _lambda_client() -> Any:
    return boto3.client("lambda", region_name=REGION, aws_access_key_id="x",
                        aws_secret_access_key="x")


def test_every_denial_functions_can_report_is_allowed_by_the_rest_policy() -> None:
    # The call wrapper names the action and function IAM refused; the REST policy alone,
    # without the HTTP statements, must allow each call on any function, an alias included.
    client = _lambda_client()
    document = policy("a1b2c3d4e5", REGION, ACCOUNT, http=False)
    for grant in FUNCTION_GRANTS:
        denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                             grant.operation)
        message = client_error("lambda", grant.operation, denied, lambda g=grant: iam_action(
            client, g.operation, {"FunctionName": TARGET})).message
        reported = re.search(r"IAM refused (\S+) on (\S+);", message)
        assert reported is not None, message
        action, resource = reported.groups()
        assert (action, resource) == (grant.action, TARGET)
        assert allowed(document, action, resource), message
        assert allowed(document, action, f"{TARGET}:live")
        assert not allowed(document, action, TARGET.replace(REGION, "us-east-1"))


def test_the_function_statements_are_rest_statements() -> None:
    rest = policy(None, REGION, ACCOUNT, http=False)
    sids = {s["Sid"]: s for s in rest["Statement"]}
    assert sids["AsyncgwReadFunctions"]["Action"] == [
        "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig",
        "lambda:GetFunctionConcurrency"]
    assert sids["AsyncgwConfigureFunctions"]["Action"] == [
        "lambda:PutFunctionEventInvokeConfig", "lambda:UpdateFunctionEventInvokeConfig",
        "lambda:DeleteFunctionEventInvokeConfig"]
    for sid in ("AsyncgwReadFunctions", "AsyncgwConfigureFunctions"):
        assert sids[sid]["Resource"] == [f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:*"]
    # The forwarders' statements never grant writes on functions other than asyncgw's own.
    http = [s for s in policy(None, REGION, ACCOUNT)["Statement"]
            if s["Sid"].startswith("AsyncgwHttp")]
    assert not any(r.endswith(":function:*") for s in http for r in s["Resource"])


# HTTP APIs: asyncgw.http


def _covered() -> set[tuple[str, str]]:
    apigateway = {(p.service, p.operation) for p in PERMISSIONS + HTTP_PERMISSIONS
                  if p.service == "apigatewayv2"}
    return apigateway | {(g.service, g.operation) for g in GRANTS}


def test_forwarder_calls_only_operations_the_policy_covers() -> None:
    calls = forwarder_calls()
    assert {("apigatewayv2", "UpdateRoute"), ("lambda", "CreateFunction"),
            ("iam", "PutRolePolicy"), ("sts", "GetCallerIdentity")} <= calls
    missing = calls - _covered()
    assert missing == set(), f"asyncgw.http calls operations the IAM policy lacks: {missing}"


def test_the_policy_covers_no_call_the_forwarder_never_makes() -> None:
    calls = forwarder_calls()
    stale = {(p.service, p.operation) for p in HTTP_PERMISSIONS} - calls
    stale |= {(g.service, g.operation) for g in GRANTS} - calls
    assert stale == set(), f"the IAM policy allows calls asyncgw.http never makes: {stale}"


def test_the_forwarder_scan_finds_every_spelling() -> None:
    source = (
        "class HttpGateway:\n"
        "    def read(self):\n"
        "        self._lambda.call('GetPolicy', FunctionName='f')\n"
        "        self._pages('GetRouteResponses', ApiId='a')\n"
        "        self._iam_pages('ListRoleTags', 'Tags', RoleName='r')\n"
        "        self.lambda_.get_alias(FunctionName='f', Name='live')\n"
        "        step = ApiCall(service='iam', operation='UpdateRole', params={})\n"
        "        if step.operation == 'PublishVersion':\n"
        "            pass\n"
    )
    assert forwarder_calls([source]) == {
        ("lambda", "GetPolicy"), ("apigatewayv2", "GetRouteResponses"), ("iam", "ListRoleTags"),
        ("lambda", "GetAlias"), ("iam", "UpdateRole"), ("lambda", "PublishVersion")}


def test_a_new_call_in_steps_or_aws_would_be_caught() -> None:
    folder = Path(asyncgw.http.__file__).parent
    sources = [(folder / name).read_text() for name in FORWARDER_SOURCES]
    sources[1] += (
        "\n\ndef reserve(name):\n"
        "    return ApiCall(service='lambda', operation='PutFunctionConcurrency', params={})\n")
    sources[0] += (
        "\n\ndef tag(gateway):\n    gateway._iam.call('TagRole', RoleName='r')\n")
    assert forwarder_calls(sources) - _covered() == {
        ("lambda", "PutFunctionConcurrency"), ("iam", "TagRole")}


@pytest.mark.parametrize("grant", GRANTS, ids=lambda g: f"{g.action}-for-{g.operation}")
def test_each_grant_names_a_real_action(grant: Grant) -> None:
    prefix, _, name = grant.action.partition(":")
    assert grant.operation in service_model(grant.service).operation_names
    if grant.action not in PERMISSION_ONLY_ACTIONS:
        assert name in service_model(prefix).operation_names, grant.action


def test_every_call_has_its_own_action() -> None:
    # IAM names a Lambda, IAM or STS call's action after the operation: lambda:CreateFunction.
    own = {(g.service, g.operation) for g in GRANTS if g.action == f"{g.service}:{g.operation}"}
    calls = {c for c in forwarder_calls() if c[0] != "apigatewayv2"}
    assert calls - own == set()


def _grant(action: str, operation: str) -> Grant | None:
    return next((g for g in GRANTS if (g.action, g.operation) == (action, operation)), None)


def test_actions_aws_checks_on_behalf_of_a_call_follow_what_asyncgw_sends() -> None:
    created = steps.create_forwarder("asyncgw-async-jobs-1a2b3c4d", TARGET, Mode.ASYNC,
                                     recipe.role_arn("aws", ACCOUNT, REGION)).call
    assert created.operation == "CreateFunction"
    # Tags on CreateFunction need lambda:TagResource; Role needs iam:PassRole.
    assert "Tags" not in created.params or _grant("lambda:TagResource", "CreateFunction")
    assert "Role" not in created.params or _grant("iam:PassRole", "CreateFunction")
    role = steps.create_role(REGION).call
    assert "Tags" not in role.params or _grant("iam:TagRole", "CreateRole")
    # Forwarders are recognised by their tags, which GetFunction returns only with ListTags.
    untagged = {"Configuration": {"FunctionName": "f", "FunctionArn": "arn"}, "Tags": {}}
    assert Forwarder.from_function(untagged, ()) is None
    assert _grant("lambda:ListTags", "GetFunction")


def test_the_grants_of_one_statement_agree_on_resource_and_condition() -> None:
    by_purpose: dict[str, set[tuple[str, tuple[tuple[str, str, str], ...]]]] = {}
    for grant in GRANTS:
        by_purpose.setdefault(grant.purpose, set()).add((grant.resource, grant.condition))
        assert grant.resource in {FUNCTIONS, FORWARDERS, ROLE, ANY}
        assert grant.purpose.startswith("Http")
    assert all(len(kinds) == 1 for kinds in by_purpose.values()), by_purpose


def test_the_policy_names_what_the_forwarder_recipe_creates() -> None:
    assert iam_policy.PREFIX == recipe.PREFIX
    assert iam_policy.APIGATEWAY_PRINCIPAL == recipe.APIGATEWAY_PRINCIPAL
    assert iam_policy.LAMBDA_PRINCIPAL == recipe.LAMBDA_PRINCIPAL
    prefixes = tuple(f"{recipe.PREFIX}{mode}-" for mode in recipe.FORWARDER_MODES)
    assert prefixes == iam_policy.FORWARDER_PREFIXES
    functions = resources(FORWARDERS, REGION, ACCOUNT)
    for mode in recipe.FORWARDER_MODES:
        name = recipe.forwarder_name(TARGET, mode)
        arn = recipe.function_arn("aws", REGION, ACCOUNT, name)
        assert any(fnmatchcase(arn, pattern) for pattern in functions), arn
        assert fnmatchcase(arn, resources(FUNCTIONS, REGION, ACCOUNT)[0])
    assert resources(ROLE, REGION, ACCOUNT) == [recipe.role_arn("aws", ACCOUNT, REGION)]


def _http_clients() -> dict[str, Any]:
    session = boto3.Session(region_name=REGION, aws_access_key_id="x",
                            aws_secret_access_key="x")
    return {service: session.client(service) for service in HTTP_SERVICES}


def test_every_forwarder_write_is_allowed_for_its_resource() -> None:
    # Each write a plan can hold, with the ARN IAM evaluates and the request's condition keys.
    document = policy(HTTP_API_ID, REGION, ACCOUNT)
    name = recipe.forwarder_name(TARGET, Mode.SWITCHABLE)
    function = recipe.function_arn("aws", REGION, ACCOUNT, name)
    role = recipe.role_arn("aws", ACCOUNT, REGION)
    lambda_only = {"iam:PassedToService": recipe.LAMBDA_PRINCIPAL}
    apigateway_only = {"lambda:Principal": recipe.APIGATEWAY_PRINCIPAL}
    for action, resource, context in (
        ("lambda:CreateFunction", function, {}), ("lambda:TagResource", function, {}),
        ("iam:PassRole", role, lambda_only), ("lambda:DeleteFunction", function, {}),
        ("lambda:AddPermission", function, apigateway_only),
        ("lambda:RemovePermission", function, apigateway_only),
        ("iam:CreateRole", role, {}), ("iam:TagRole", role, {}),
        ("iam:PutRolePolicy", role, {}), ("iam:DeleteRolePolicy", role, {}),
        ("iam:DeleteRole", role, {}), ("lambda:GetFunction", function, {}),
        ("lambda:ListTags", function, {}), ("sts:GetCallerIdentity", "*", {}),
    ):
        assert allowed(document, action, resource, context), (action, resource)
    other = recipe.function_arn("aws", REGION, ACCOUNT, "orders-jobs")
    assert not allowed(document, "lambda:DeleteFunction", other)
    assert not allowed(document, "lambda:GetFunction", other)
    assert not allowed(document, "iam:PassRole", role, {"iam:PassedToService": "ec2.amazonaws.com"})
    assert not allowed(document, "lambda:AddPermission", function, {"lambda:Principal": "*"})
    assert not allowed(document, "iam:PutRolePolicy",
                       f"arn:aws:iam::{ACCOUNT}:role/asyncgw-forwarder-us-east-1")


def test_every_lambda_iam_or_sts_denial_the_forwarder_reports_is_in_the_policy() -> None:
    clients = _http_clients()
    actions = {a for s in policy(HTTP_API_ID, REGION)["Statement"] for a in _actions(s)}
    for grant in GRANTS:
        if grant.action == f"{grant.service}:{grant.operation}":
            reported = iam_action(clients[grant.service], grant.operation, {})
            assert reported in actions
            named = iam_action(clients[grant.service], grant.operation, {"FunctionName": "f"})
            assert named == reported + (" on f" if grant.service == "lambda" else "")


def test_every_apigatewayv2_denial_the_forwarder_reports_is_allowed_by_the_policy() -> None:
    v2 = _http_clients()["apigatewayv2"]
    params = {"ApiId": HTTP_API_ID, "RouteId": "r1", "IntegrationId": "i1",
              "StageName": "prod"}
    document = policy(HTTP_API_ID, REGION)
    for permission in HTTP_PERMISSIONS:
        reported = iam_action(v2, permission.operation, params)
        action, resource = reported.split(" on ")
        assert allowed(document, action, resource), reported


# The document


def _sids(document: dict[str, Any]) -> list[str]:
    return [s["Sid"] for s in document["Statement"]]


@pytest.mark.parametrize("api_id", ["a1b2c3d4e5", None])
def test_the_rest_policy_is_valid_json_with_verb_actions_only(api_id: str | None) -> None:
    document = json.loads(json.dumps(policy(api_id, "eu-west-1", "123456789012", http=False)))
    assert document["Version"] == "2012-10-17"
    sids = _sids(document)
    assert len(sids) == len(set(sids))
    functions = [s for s in document["Statement"] if s["Sid"].endswith("Functions")]
    assert [s["Sid"] for s in functions] == ["AsyncgwReadFunctions", "AsyncgwConfigureFunctions"]
    assert all(a.startswith("lambda:") for s in functions for a in s["Action"])
    assert all(s["Resource"] == ["arn:aws:lambda:eu-west-1:123456789012:function:*"]
               for s in functions)
    metrics = [s for s in document["Statement"] if s["Sid"] == "AsyncgwReadMetrics"]
    assert [s["Action"] for s in metrics] == [["cloudwatch:GetMetricData"]]
    apigateway = [s for s in document["Statement"] if s not in functions + metrics]
    assert {s["Action"] for s in apigateway} == VERB_ACTIONS
    resources = [r for s in apigateway for r in s["Resource"]]
    assert all(r.startswith("arn:aws:apigateway:eu-west-1::/") for r in resources)
    assert f"arn:aws:apigateway:eu-west-1::/restapis/{api_id or '*'}/deployments" in resources
    if api_id is not None:
        assert not any("/restapis/*" in r for r in resources)


@pytest.mark.parametrize("api_id", [HTTP_API_ID, None])
def test_the_http_statements_come_on_top_and_say_so(api_id: str | None) -> None:
    document = json.loads(json.dumps(policy(api_id, REGION, ACCOUNT)))
    rest = policy(api_id, REGION, ACCOUNT, http=False)
    assert document["Statement"][:len(rest["Statement"])] == rest["Statement"]
    added = document["Statement"][len(rest["Statement"]):]
    assert added and all(s["Sid"].startswith("AsyncgwHttp") for s in added)
    assert not any(sid.startswith("AsyncgwHttp") for sid in _sids(rest))
    assert len(set(_sids(document))) == len(document["Statement"])
    resources = [r for s in added for r in s["Resource"]]
    assert f"arn:aws:apigateway:{REGION}::/apis/{api_id or '*'}/routes/*" in resources
    assert f"arn:aws:iam::{ACCOUNT}:role/asyncgw-forwarder-{REGION}" in resources
    assert not any(r.endswith(":function:*") or r == f"arn:aws:iam::{ACCOUNT}:role/*"
                   for r in resources)
    if api_id is not None:
        assert not any("/apis/*" in r for r in resources)
    assert [r for r in resources if r == "*"] == ["*"]  # sts:GetCallerIdentity only


def test_without_an_api_id_or_region_everything_is_a_wildcard() -> None:
    document = policy(None, None)
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert "arn:aws:apigateway:*::/restapis/*/resources/*/methods/*/integration" in resources
    assert "arn:aws:apigateway:*::/apis" in resources
    assert "arn:aws:apigateway:*::/apis/*/integrations/*" in resources
    assert "arn:aws:lambda:*:*:function:asyncgw-*" in resources
    assert "arn:aws:lambda:*:*:function:*" in resources
    assert "arn:aws:iam::*:role/asyncgw-forwarder-*" in resources


def test_partitions() -> None:
    assert partition("cn-north-1") == "aws-cn"
    assert partition("us-gov-west-1") == "aws-us-gov"
    assert partition("us-east-1") == partition(None) == "aws"
    document = policy("x", "cn-north-1")
    assert document["Statement"][0]["Resource"][0].startswith("arn:aws-cn:")
    resources = [r for s in document["Statement"] for r in s["Resource"] if r != "*"]
    assert all(r.startswith("arn:aws-cn:") for r in resources)


def test_every_denial_gateway_can_report_is_allowed_by_the_policy() -> None:
    # Gateway names the action and ARN IAM evaluated when it reports AccessDenied; each
    # apigateway call it makes, with real-looking ids, must be allowed by the policy.
    client = boto3.client("apigateway", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    params = {"restApiId": "a1b2c3d4e5", "resourceId": "r1", "httpMethod": "POST",
              "stageName": "prod", "requestValidatorId": "v1", "statusCode": "202",
              "exportType": "oas30"}
    document = policy("a1b2c3d4e5", "us-east-1", http=False)
    for permission in (p for p in PERMISSIONS if p.service == "apigateway"):
        reported = iam_action(client, permission.operation, params)
        action, resource = reported.split(" on ")
        assert allowed(document, action, resource), reported
    assert not allowed(document, "apigateway:DELETE", "arn:aws:apigateway:us-east-1::/restapis/"
                       "a1b2c3d4e5")


# advise: rest/metrics.py and rest/advisor.py


def advise_calls(sources: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """(service, operation) for every operation advise's modules name, however spelled.

    Any string or client method name that is an operation of API Gateway, Lambda or
    CloudWatch counts for each of those services that has it.
    """
    if sources is None:
        root = Path(asyncgw.__file__).parent
        sources = [(root / name).read_text() for name in ADVISE_SOURCES]
    services = ("apigateway", "lambda", "cloudwatch")
    operations = {s: set(service_model(s).operation_names) for s in services}
    methods = {s: {xform_name(op): op for op in ops} for s, ops in operations.items()}
    found: set[tuple[str, str]] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            name = _text(node)
            found |= {(s, name) for s in services if name in operations[s]}
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                found |= {(s, methods[s][node.func.attr]) for s in services
                          if node.func.attr in methods[s]}
    return found


def test_advise_calls_only_operations_the_rest_policy_covers() -> None:
    calls = advise_calls()
    assert {("cloudwatch", "GetMetricData"), ("apigateway", "GetStage"),
            ("lambda", "GetFunctionConfiguration")} <= calls
    covered = ({(p.service, p.operation) for p in PERMISSIONS}
               | {(g.service, g.operation) for g in FUNCTION_GRANTS + METRIC_GRANTS})
    assert calls - covered == set(), "advise calls operations the IAM policy does not allow"
    metric_calls = {call for call in calls if call[0] == "cloudwatch"}
    assert metric_calls == {(g.service, g.operation) for g in METRIC_GRANTS}


def test_a_new_cloudwatch_call_in_advise_would_be_caught() -> None:
    source = "def alarms(service):\n    service.call('DescribeAlarms')\n    c.list_metrics()\n"
    assert advise_calls([source]) >= {("cloudwatch", "DescribeAlarms"),
                                      ("cloudwatch", "ListMetrics")}


def test_get_metric_data_is_in_the_rest_only_policy_on_any_resource() -> None:
    for document in (policy("a1b2c3d4e5", REGION, ACCOUNT, http=False), policy(None, None)):
        sids = {s["Sid"]: s for s in document["Statement"]}
        assert sids["AsyncgwReadMetrics"]["Action"] == ["cloudwatch:GetMetricData"]
        assert sids["AsyncgwReadMetrics"]["Resource"] == ["*"]


def test_a_get_metric_data_denial_names_the_action_the_policy_allows() -> None:
    client = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="x",
                          aws_secret_access_key="x")
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"},
                          "ResponseMetadata": {"HTTPStatusCode": 403}}, "GetMetricData")
    message = client_error("cloudwatch", "GetMetricData", denied,
                           lambda: iam_action(client, "GetMetricData", {})).message
    assert message == ("access denied: IAM refused cloudwatch:GetMetricData; grant it to the "
                       "identity asyncgw runs as")
    assert allowed(policy(None, REGION, ACCOUNT, http=False), "cloudwatch:GetMetricData", "*")
