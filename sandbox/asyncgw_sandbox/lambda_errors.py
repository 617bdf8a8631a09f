"""Lambda errors shaped as AWS sends them: status, x-amzn-ErrorType and a {"Type": "User"} body."""

from __future__ import annotations

import json

from moto.awslambda.exceptions import LambdaClientError

FUNCTION_NOT_FOUND = "The function doesn't exist."  # [REC lambda TestLambdaEventInvokeConfig]
NO_SETTINGS = (  # [REC lambda TestLambdaEventInvokeConfig put_functionname_nootherargs]
    "You must specify at least one of error handling or destination setting."
)
QUALIFIER_CONFLICT = (  # [REC lambda TestLambdaEventInvokeConfig put_shorthand_qualifier_mismatch]
    "The derived qualifier from the function name does not match the specified qualifier."
)


class LambdaError(LambdaClientError):
    """A Lambda error; the body names its text `Message` or `message` as the model's shape does."""

    def __init__(self, code: str, status: int, message: str, *, message_key: str) -> None:
        super().__init__(code, message)
        self.code = status
        # Recorded bodies carry "Type": "User" except ValidationException's [REC lambda
        # TestLambdaEventInvokeConfig]; the message key follows the model's error shape [MODEL].
        body = {"message": message} if code == "ValidationException" else {
            "Type": "User", message_key: message}
        self.description = json.dumps(body)


def resource_not_found(message: str) -> LambdaError:
    """404 ResourceNotFoundException."""
    return LambdaError("ResourceNotFoundException", 404, message, message_key="Message")


def invalid_parameter(message: str) -> LambdaError:
    """400 InvalidParameterValueException."""
    return LambdaError("InvalidParameterValueException", 400, message, message_key="message")


def validation_error(violations: list[str]) -> LambdaError:
    """400 ValidationException listing model constraint violations, as AWS's front end words it."""
    noun = "error" if len(violations) == 1 else "errors"
    # One violation is [REC lambda put_destination_invalid_arn_pattern]; "; " joining several is
    # [UNVERIFIED], as in asyncgw_sandbox.patch_document.
    return LambdaError(
        "ValidationException", 400,
        f"{len(violations)} validation {noun} detected: " + "; ".join(violations),
        message_key="message",
    )


def no_event_invoke_config(function_arn: str) -> LambdaError:
    """404 for a function, version or alias without an asynchronous invocation configuration."""
    # [REC lambda TestLambdaEventInvokeConfig get_invokeconfig_postpublish, delete_function_*]
    return resource_not_found(f"The function {function_arn} doesn't have an EventInvokeConfig")
