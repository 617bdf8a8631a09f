"""Finding the function, version or alias a Lambda call names by FunctionName and Qualifier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from asyncgw_sandbox.lambda_errors import (
    FUNCTION_NOT_FOUND,
    QUALIFIER_CONFLICT,
    invalid_parameter,
    resource_not_found,
)

# A name, "name:qualifier", a partial ARN "123456789012:function:name" or a full ARN [MODEL
# FunctionName pattern].
FUNCTION_NAME = re.compile(
    r"^(?:arn:[^:]+:lambda:[^:]*:\d{12}:function:|\d{12}:function:)?"
    r"(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?$"
)
LATEST = "$LATEST"


@dataclass(frozen=True)
class Target:
    """A function and the version or alias a call is about; `function` is None if it is unknown."""

    name: str
    qualifier: str  # $LATEST when the call named none
    function: Any  # moto's $LATEST LambdaFunction
    arn: str  # the qualified ARN AWS prints, e.g. ...:function:jobs:$LATEST

    def require_function(self) -> Any:
        """The $LATEST function; 404 "The function doesn't exist." if it or the qualifier is not."""
        if self.function is None:
            raise resource_not_found(FUNCTION_NOT_FOUND)
        return self.function


def find_target(backend: Any, function_name: str, qualifier: str | None) -> Target:
    """Resolve FunctionName and Qualifier in moto's LambdaBackend `backend`."""
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.utils import make_function_arn

    match = FUNCTION_NAME.match(function_name)
    if match is None:
        raise resource_not_found(FUNCTION_NOT_FOUND)
    derived = match.group("qualifier")
    if derived and qualifier and derived != qualifier:
        raise invalid_parameter(QUALIFIER_CONFLICT)  # [REC put_*_qualifierconflict]
    name, chosen = match.group("name"), derived or qualifier or LATEST
    arn = f"{make_function_arn(backend.region_name, backend.account_id, name)}:{chosen}"
    try:
        function = backend.get_function(name)
        if chosen != LATEST:
            backend.get_function(name, chosen)  # a version or an alias that must exist
    except UnknownFunctionException:
        function = None
    return Target(name=name, qualifier=chosen, function=function, arn=arn)
