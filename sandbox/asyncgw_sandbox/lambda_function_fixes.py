"""Corrections to moto's LambdaFunction: the DeadLetterConfig it drops, reserved concurrency 0."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# Functions here are bound as methods of moto's LambdaFunction: `self` is the function.
DEAD_LETTER = "sandbox_dead_letter_target"
JsonOf = Callable[..., dict[str, Any]]


def dead_letter_keeping_init(original: Callable[..., None]) -> Callable[..., None]:
    """LambdaFunction.__init__ keeping CreateFunction's DeadLetterConfig, which moto ignores."""

    def __init__(self: Any, account_id: str, spec: dict[str, Any], *args: Any,
                 **kwargs: Any) -> None:
        original(self, account_id, spec, *args, **kwargs)
        _set_dead_letter(self, spec.get("DeadLetterConfig"))

    return __init__


def dead_letter_updating(original: JsonOf) -> JsonOf:
    """LambdaFunction.update_configuration also applying DeadLetterConfig."""

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            # An empty TargetArn, or an empty DeadLetterConfig, removes the queue [COMM
            # terraform]. AWS applies the update after answering, so its answer may still show
            # the old queue [REC lambda TestLambdaDLQ delete_dlq]; the sandbox applies it at once.
            _set_dead_letter(self, config_updates["DeadLetterConfig"])
        return original(self, config_updates)

    return update_configuration


def dead_letter_reporting(original: JsonOf) -> JsonOf:
    """LambdaFunction.get_configuration with DeadLetterConfig when a queue is set [REC]."""

    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        document = original(self, *args, **kwargs)
        target = getattr(self, DEAD_LETTER, None)
        if target:
            # [REC lambda TestLambdaDLQ create_lambda_with_dlq]; left out when none [UNVERIFIED].
            document["DeadLetterConfig"] = {"TargetArn": target}
        return document

    return get_configuration


def zero_concurrency_reporting(original: JsonOf) -> JsonOf:
    """LambdaFunction.get_code reporting a reserved concurrency of 0, which moto leaves out."""

    def get_code(self: Any) -> dict[str, Any]:
        document = original(self)
        if self.reserved_concurrency is not None:
            # 0 is the setting that stops every invocation; GetFunction reports it [MODEL
            # GetFunctionResponse.Concurrency].
            document["Concurrency"] = {
                "ReservedConcurrentExecutions": int(self.reserved_concurrency)}
        return document

    return get_code


def _set_dead_letter(function: Any, config: Mapping[str, Any] | None) -> None:
    setattr(function, DEAD_LETTER, (config or {}).get("TargetArn") or None)
