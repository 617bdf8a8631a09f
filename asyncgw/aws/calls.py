"""The one call wrapper for every AWS service asyncgw calls: paced, retried and translated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore import xform_name
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from asyncgw.aws.errors import NOT_FOUND, client_error, translated
from asyncgw.aws.pacing import SERVICES, Pacer, Retry

_TRANSIENT_STATUS = {500, 502, 503, 504}
_UNREPEATABLE = {"AddPermission"}
"""Besides Create*: calls that fail when sent twice (the statement id exists by then)."""


class Service:
    """One AWS service's client behind asyncgw's one call wrapper.

    With a `pacer` every call is paced to the service's quotas and retried when throttled or
    transiently failed; the client should then make one attempt per call
    (aws.session.CLIENT_CONFIG). Without one a call is sent once, as the client's own retry
    configuration says. Either way botocore's errors become asyncgw's.

    Several threads may call one Service at once: boto3 clients are thread-safe (sessions are
    not, and none is made here), each call keeps its attempts to itself, and the pacer is.
    """

    def __init__(self, client: Any, pacer: Pacer | None = None) -> None:
        self.client = client
        """Any: a boto3 client of any service; its owner keeps it typed."""
        self.pacer = pacer
        self.name = str(client.meta.service_model.service_name)

    def call(self, operation: str, /, **params: Any) -> dict[str, Any]:
        """`operation` with `params`; its answer (AWS data, read by the caller)."""
        send = getattr(self.client, xform_name(operation))
        with translated(operation, lambda error: client_error(
                self.name, operation, error, lambda: iam_action(self.client, operation, params))):
            if self.pacer is None:
                response: dict[str, Any] = send(**params)
            else:
                attempts = _Attempts(self.name, operation, lambda: send(**params))
                response = self.pacer.call(self.name, operation, attempts,
                                           lambda error: retry(self.name, operation, error))
        response.pop("ResponseMetadata", None)
        return response


class _Attempts:
    """Sends a call each time it is called; a resent delete that finds nothing succeeded."""

    def __init__(self, service: str, operation: str, send: Any) -> None:
        self.service = service
        self.operation = operation
        self.send = send
        self.uncertain = False
        """True once an attempt failed in a way that may hide its having taken effect."""

    def __call__(self) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = self.send()
        except Exception as error:
            # A delete is resent after a lost answer or a 5xx (see `repeatable`): if the first
            # one took effect, the second finds nothing, and the delete is done.
            if (self.uncertain and _deletes(self.operation) and isinstance(error, ClientError)
                    and _code(error) in NOT_FOUND[self.service]):
                return {}
            again = retry(self.service, self.operation, error)
            self.uncertain = self.uncertain or (again is not None and not again.throttled)
            raise
        return answer


def _deletes(operation: str) -> bool:
    return operation.startswith(("Delete", "Remove"))


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def retry(service: str, operation: str, error: Exception) -> Retry | None:
    """Whether a failed call may be sent again, and how long AWS asked us to wait."""
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        message = str(error.response.get("Error", {}).get("Message", error))
        metadata = error.response.get("ResponseMetadata", {})
        status = metadata.get("HTTPStatusCode")
        if code in SERVICES[service].throttled or status == 429:
            # A throttled request was refused before AWS acted on it: safe to resend any call.
            headers = metadata.get("HTTPHeaders", {})
            return Retry(True, code, message, _seconds(headers.get("retry-after")))
        if busy(service, code, message):
            return Retry(True, code, message, conflict=True)
        if status in _TRANSIENT_STATUS and repeatable(operation):
            return Retry(False, code, message)
        return None
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError):
        return Retry(False, type(error).__name__, str(error))  # never reached AWS
    if isinstance(error, ConnectionClosedError | ReadTimeoutError) and repeatable(operation):
        return Retry(False, type(error).__name__, str(error))
    return None


def busy(service: str, code: str, message: str) -> bool:
    """True for API Gateway refusing a call because another change to the API is under way.

    API Gateway answers ConflictException "Unable to complete operation due to concurrent
    modification. Please try again later." when changes to one API arrive together, REST and
    HTTP APIs alike, and acts on none of them; the Terraform AWS provider resends such calls
    [ISSUE hashicorp/terraform-provider-aws#776, #18018; the message is UNVERIFIED against a
    recording]. Other ConflictExceptions (a name already taken) are real refusals.
    """
    return (service in {"apigateway", "apigatewayv2"} and code == "ConflictException"
            and "concurrent modification" in message.lower())


def repeatable(operation: str) -> bool:
    """False for a call that must not be sent again after a 5xx or a lost answer."""
    # Either may hide a call that succeeded: sending a Create* again could leave a second
    # validator, deployment or function behind, or fail on the first. Reads are safe to
    # repeat, a repeated patch or put writes the same values, and a repeated delete at worst
    # answers NotFound.
    return not operation.startswith("Create") and operation not in _UNREPEATABLE


def iam_action(client: Any, operation: str, params: Mapping[str, Any]) -> str:
    """What IAM evaluated: 'apigateway:PATCH on arn:...', 'lambda:GetFunction on NAME'."""
    service = str(client.meta.service_model.service_name)
    if service not in {"apigateway", "apigatewayv2"}:
        function = params.get("FunctionName") if service == "lambda" else None
        return f"{service}:{operation}" + (f" on {function}" if function else "")
    model = client.meta.service_model.operation_model(operation)
    path = str(model.http["requestUri"]).split("?")[0]
    for name, shape in model.input_shape.members.items() if model.input_shape else ():
        if shape.serialization.get("location") == "uri":
            placeholder = "{" + str(shape.serialization.get("name", name)) + "}"
            path = path.replace(placeholder, str(params.get(name, "*")))
    # IAM names HTTP API resources without the API's /v2 version prefix [DOC].
    path = path.removeprefix("/v2")
    region = client.meta.region_name
    return f"apigateway:{model.http['method']} on arn:aws:apigateway:{region}::{path}"


def _seconds(value: object) -> float | None:
    """A Retry-After value in seconds; None when absent or an HTTP date."""
    try:
        return max(0.0, float(str(value))) if value is not None else None
    except ValueError:
        return None
