"""botocore's errors turned into asyncgw's one-line errors, for every AWS service asyncgw calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)

from asyncgw.aws.pacing import SERVICES
from asyncgw.core.errors import AccessDenied, AsyncgwError, AwsCallFailed, AwsSetupError

BAD_CREDENTIALS = frozenset({
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "ExpiredToken",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
})
DENIED = frozenset({"AccessDeniedException", "AccessDenied"})
NOT_FOUND: Mapping[str, frozenset[str]] = {
    "apigateway": frozenset({"NotFoundException"}),
    "apigatewayv2": frozenset({"NotFoundException"}),
    "lambda": frozenset({"ResourceNotFoundException"}),
    "iam": frozenset({"NoSuchEntity"}),
    "sts": frozenset(),
    "cloudwatch": frozenset({"ResourceNotFound", "ResourceNotFoundException"}),
}
"""The error codes by which each service says that what a call names does not exist."""


class NotFound(AsyncgwError):
    """A 404 from any AWS service, raised only to callers that handle it."""


@contextmanager
def translated(operation: str, client_error: Callable[[ClientError], AsyncgwError]
               ) -> Iterator[None]:
    """Turn any botocore failure inside the block into the matching asyncgw error."""
    try:
        yield
    except ClientError as error:
        failure = client_error(error)
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        failure.refused = isinstance(status, int) and 400 <= status < 500
        raise failure from error
    except NoCredentialsError:
        raise AwsSetupError(
            "no AWS credentials found: pass --profile, set AWS_PROFILE or "
            "AWS_ACCESS_KEY_ID, or run: aws configure"
        ) from None
    except EndpointConnectionError as error:
        raise AwsSetupError(
            f"cannot reach {error.kwargs.get('endpoint_url', 'the endpoint')}: "
            "check --endpoint-url, --region and your network"
        ) from None
    except BotoCoreError as error:
        raise AwsCallFailed(operation, type(error).__name__, str(error)) from None


def client_error(
    service: str, operation: str, error: ClientError, iam_action: Callable[[], str]
) -> AsyncgwError:
    """The asyncgw error for an AWS error answer; `iam_action` names what IAM refused."""
    code = str(error.response.get("Error", {}).get("Code", "Unknown"))
    message = str(error.response.get("Error", {}).get("Message", error))
    meta = error.response.get("ResponseMetadata", {})
    if code in BAD_CREDENTIALS:
        return AwsSetupError(
            f"AWS refused the credentials ({code}): refresh them, e.g. aws sso login, "
            "or pick another --profile"
        )
    if code in DENIED or meta.get("HTTPStatusCode") == 403:
        return AccessDenied(
            f"access denied: IAM refused {iam_action()}; grant it to the identity asyncgw runs as"
        )
    if code in NOT_FOUND[service]:
        return NotFound(message)
    if code in SERVICES[service].throttled:
        return AwsCallFailed(operation, code, f"{message} (still throttled after "
                             f"{meta.get('RetryAttempts', 0)} retries; try again when the "
                             "account is quieter)")
    return AwsCallFailed(operation, code, message)
