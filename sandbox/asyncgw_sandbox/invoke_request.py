"""The simulated client request of a TestInvokeMethod call, and method request validation."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from asyncgw_sandbox.deployment_snapshot import MethodCopy

METHOD_PARAMETER = re.compile(r"^method\.request\.(path|querystring|header)\.(.+)$")
PATH_VARIABLE = re.compile(r"\{([^}/]+?)(\+?)\}")


@dataclass(frozen=True)
class MethodRequest:
    """What the simulated client sent, as API Gateway's method request sees it."""

    request_id: str
    verb: str
    path: str  # the path the log prints as "Resource Path"
    path_parameters: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]  # names as sent; repeated values joined with ","
    body: str
    stage_variables: Mapping[str, str]

    def header(self, name: str) -> str | None:
        """A header's value; names compare case-insensitively, as in HTTP."""
        # That API Gateway's validator also ignores the case of a required header is
        # [UNVERIFIED]: AWS says REST APIs process header names case-sensitively, without
        # naming validation, and LocalStack matches the exact case; no recording settles it.
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def parameter(self, location: str, name: str) -> str | None:
        """A method request parameter: location is path, querystring or header."""
        if location == "header":
            return self.header(name)
        return (self.path_parameters if location == "path" else self.query).get(name)


def read_request(resource_path: str, verb: str, fields: Mapping[str, Any]) -> MethodRequest:
    """The request TestInvokeMethod's fields describe, for a method of the resource at this path."""
    path, _, query = str(fields.get("pathWithQueryString") or resource_path).partition("?")
    headers = {str(k): str(v) for k, v in (fields.get("headers") or {}).items()}
    for name, values in (fields.get("multiValueHeaders") or {}).items():
        headers[str(name)] = ",".join(str(v) for v in values)  # the joining is [UNVERIFIED]
    return MethodRequest(
        request_id=str(uuid.uuid4()),
        verb=verb,
        path=path,
        path_parameters=_path_parameters(resource_path, path),
        # A repeated query key keeps its last value [REC LocalStack test_lambda_aws_proxy].
        query=dict(parse_qsl(query, keep_blank_values=True)),
        headers=headers,
        body=str(fields.get("body") or ""),
        stage_variables={str(k): str(v) for k, v in (fields.get("stageVariables") or {}).items()},
    )


def missing_parameters(method: MethodCopy, request: MethodRequest) -> list[str]:
    """Names of required method request parameters the request lacks, in declaration order."""
    missing = []
    for key, required in method.request_parameters.items():
        match = METHOD_PARAMETER.match(key)
        if required and match and request.parameter(match.group(1), match.group(2)) is None:
            missing.append(match.group(2))
    return missing


def _path_parameters(resource_path: str, path: str) -> dict[str, str]:
    # {} when the path does not match [REC F1]. With no pathWithQueryString the resource path
    # itself is matched, so {petId} reads "{petId}", as recorded.
    pattern, names, done = "", [], 0
    for variable in PATH_VARIABLE.finditer(resource_path):
        pattern += re.escape(resource_path[done : variable.start()])
        pattern += "(.+)" if variable.group(2) else "([^/]+)"  # {name+} is greedy
        names.append(variable.group(1))
        done = variable.end()
    pattern += re.escape(resource_path[done:])
    found = re.fullmatch(pattern, path)
    if found is None:
        return {}
    return {name: unquote(value) for name, value in zip(names, found.groups(), strict=True)}
