"""API Gateway errors shaped as AWS sends them (code, HTTP status and message text)."""

from __future__ import annotations

from moto.apigateway.exceptions import (
    BadRequestException,
    NotFoundException,
    ValidationException,
)

# Message texts, each as recorded against AWS [REC case id] or marked [UNVERIFIED].
RESOURCE_NOT_FOUND = "Invalid Resource identifier specified"  # [REC A4, A5, C1]
METHOD_NOT_FOUND = "Invalid Method identifier specified"  # [REC A6, C1]
INTEGRATION_NOT_FOUND = "Invalid Integration identifier specified"  # [REC C1]
VALIDATOR_NOT_FOUND = "Invalid Request Validator identifier specified"  # [REC A13, B3, D3, D7]
DEPLOYMENT_NOT_FOUND = "Invalid Deployment identifier specified"  # [UNVERIFIED] moto's text
# [UNVERIFIED] moto's text; CloudFormation errors quoted in public docs read the same [COMM]
STAGE_NOT_FOUND = "Invalid stage identifier specified"
PARAMETER_NOT_FOUND = "Invalid parameter name specified"  # [REC I1] on MethodResponse
CONTENT_TYPE_NOT_FOUND = "Content-Type specified was not found"  # [REC I1] on MethodResponse
INVALID_AUTHORIZER = (  # [REC A14]
    "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or "
    "COGNITO_USER_POOLS requires a valid authorizer."
)
DUPLICATE_PARAMETER_NAMES = (  # [REC B2]
    "Parameter names must be unique across querystring, header and path"
)
HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY")
INVALID_HTTP_METHOD = (  # [REC B3 wrong-method]
    f"Invalid HttpMethod specified. Valid options are {','.join(HTTP_METHODS)}"
)


class NotFound(NotFoundException):
    """404 NotFoundException (moto's own class answers 400 unless a subclass sets the code)."""

    code = 404


class BadRequest(BadRequestException):
    """400 BadRequestException."""

    code = 400


class InputValidationError(ValidationException):
    """400 ValidationException, raised before AWS looks at the target."""

    code = 400


def invalid_patch_path(path: str | None) -> BadRequest:
    """The error for a patch path the operation does not know [REC A9, A10, A11]."""
    return BadRequest(f"Invalid patch path {_java_text(path)}")


def invalid_patch_operation(allowed: tuple[str, ...]) -> BadRequest:
    """The error for an op the path does not take [REC A7, A8]."""
    return BadRequest(f"Invalid patch operation specified. Must be one of: [{', '.join(allowed)}]")


def invalid_mapping_expression(expression: str | None) -> BadRequest:
    """The error for a mapping value that is neither a quoted static nor a known source."""
    # [COMM awsdocs PR #172] for an unquoted static; the same text for a boolean key [REC C3].
    return BadRequest(
        "Invalid mapping expression specified: Validation Result: warnings : [], "
        f"errors : [Invalid mapping expression specified: {_java_text(expression)}]"
    )


def undeclared_mapping_parameter(expression: str) -> BadRequest:
    """The error for a mapping from a method request parameter the method does not declare."""
    # [COMM awsdocs issue #24]
    return BadRequest(
        "Invalid mapping expression specified: Validation Result: warnings : [], "
        f"errors : [Invalid mapping expression parameter specified: {expression}]"
    )


def _java_text(value: str | None) -> str:
    # AWS is written in Java: an absent string prints as "null" [UNVERIFIED].
    return "null" if value is None else value
