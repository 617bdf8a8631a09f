"""The failures a user can see: one class each, with its message and exit code."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

_HIDDEN = object()
"""Stands for a value not worth showing in a message."""


class ExitCode(IntEnum):
    """Process exit codes, as documented in the README."""

    OK = 0
    APPLY_FAILED = 1
    USAGE = 2
    PENDING = 3
    """--exit-code with --dry-run or --out: the plan has changes (not an error)."""
    UNDO_FAILED = 4
    INTERRUPTED = 130


class AsyncgwError(Exception):
    """Base of every error asyncgw reports to a user; the message is one line."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.refused = False
        """True when AWS answered the call with a 4xx: it refused the call and changed nothing.

        A 5xx, a lost answer or an interruption leaves open whether the call took effect.
        """


class UsageError(AsyncgwError):
    """Bad input: an unknown API, stage or method, an empty selection, a refused option."""


class ApiNotFound(UsageError):
    """No REST API with that id or name in the region."""

    def __init__(self, ref: str, region: str) -> None:
        super().__init__(
            f"no REST API with id or name {ref!r} in {region}; "
            f"list them with: aws apigateway get-rest-apis --region {region}"
        )


class AmbiguousApiName(UsageError):
    """Several REST APIs share the name the user gave."""

    def __init__(self, name: str, ids: Sequence[str]) -> None:
        super().__init__(
            f"{len(ids)} REST APIs are named {name!r} ({', '.join(ids)}); pass the id instead"
        )


class NotARestApi(UsageError):
    """The id belongs to an HTTP or WebSocket API (apigatewayv2)."""

    def __init__(self, api_id: str, protocol: str) -> None:
        self.api_id = api_id
        self.protocol = protocol.upper()
        if self.protocol == "HTTP":
            detail = (
                "HTTP APIs cannot set X-Amz-* headers, so status, enable-*, disable and "
                "redeploy use the forwarder-Lambda pattern for them; this command works on "
                "REST APIs only"
            )
        else:
            detail = "asyncgw works on REST and HTTP APIs only"
        article = "an" if self.protocol == "HTTP" else "a"
        super().__init__(f"{api_id} is {article} {self.protocol} API, not a REST API: {detail}")


class PlanFileError(UsageError):
    """A file given to `asyncgw apply` is missing or not a saved plan this asyncgw reads."""


class PlanOutdated(UsageError):
    """A saved plan no longer fits the API (another writer, a redeploy): plan again."""


class AwsSetupError(UsageError):
    """Credentials, region or endpoint are missing or unusable."""


class AccessDenied(AsyncgwError):
    """IAM refused a call; the message names the action."""

    exit_code = ExitCode.APPLY_FAILED


class AwsCallFailed(AsyncgwError):
    """An AWS call failed for a reason other than bad input or permissions."""

    exit_code = ExitCode.APPLY_FAILED

    def __init__(self, operation: str, code: str, message: str) -> None:
        # botocore's own messages may span lines (a ParamValidationError lists each problem).
        super().__init__(f"{operation} failed: {code}: {' '.join(message.split())}")
        self.operation = operation
        self.code = code


class StaleSnapshot(AsyncgwError):
    """The API changed between reading it and the first write."""

    exit_code = ExitCode.APPLY_FAILED


class ApplyFailed(AsyncgwError):
    """Applying failed and every change made was undone."""

    exit_code = ExitCode.APPLY_FAILED


class Interrupted(AsyncgwError):
    """Ctrl-C while applying; every change made was undone."""

    exit_code = ExitCode.INTERRUPTED


class UndoFailed(AsyncgwError):
    """Applying failed and undoing failed too; the message lists what is left to fix."""

    exit_code = ExitCode.UNDO_FAILED

    def __init__(self, message: str, leftovers: Sequence[str]) -> None:
        super().__init__(message)
        self.leftovers = tuple(leftovers)


class UnexpectedResponse(AsyncgwError):
    """AWS answered with a value asyncgw cannot read; the message names the operation and field."""

    exit_code = ExitCode.APPLY_FAILED

    def __init__(self, operation: str, field: str, problem: str = "", value: object = _HIDDEN,
                 missing: bool = False) -> None:
        where = field or "its answer"
        if missing:
            said = f"{'an empty' if value == '' else 'no'} {where}, which asyncgw needs"
        else:
            text = repr(value)
            shown = where if value is _HIDDEN else (
                f"{where} = {text[:57] + '...' if len(text) > 60 else text}")
            said = f"{shown}, which asyncgw cannot read: {' '.join(problem.split())}"
        super().__init__(f"{operation} returned {said} (re-run with --debug for the traceback)")
        self.operation = operation
        self.field = field
        self.missing = missing
