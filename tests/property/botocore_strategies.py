"""Hypothesis strategies for AWS answers, generated from botocore's service model, and a client
that answers with them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC
from typing import Any
from urllib.parse import quote

import boto3
from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel, Shape
from botocore.response import StreamingBody
from botocore.validate import validate_parameters
from hypothesis import strategies as st

MAX_DEPTH = 6
"""Below this depth only required members are generated: bounds recursive shapes."""

UNKNOWN = "FUTURE_VALUE"
"""An enum value AWS may add later: botocore does not check enums in answers."""

Overrides = Mapping[str, st.SearchStrategy[Any]]
"""Strategies that replace the generated one, keyed 'Shape' or 'Structure.member'."""

_TEXT = st.text(alphabet=st.sampled_from("aZ09 -_/.:{}$'\"%\\é"), min_size=1, max_size=12)

_JSON = st.none() | st.booleans() | st.integers() | _TEXT | st.lists(_TEXT, max_size=2) | \
    st.dictionaries(_TEXT, _TEXT, max_size=2)
"""Any JSON value, for where a document holds something other than what asyncgw expects."""

POLICY_DOCUMENT = st.one_of(
    st.builds(lambda doc: quote(json.dumps(doc)), st.fixed_dictionaries(
        {"Version": st.just("2012-10-17")},
        optional={"Statement": st.lists(st.dictionaries(
            st.sampled_from(["Effect", "Action", "Resource", "Principal", "Sid"]),
            st.sampled_from(["InvokeTargets", "*"]) | _TEXT | _JSON, max_size=5),
            max_size=2) | _JSON})),
    st.builds(lambda v: quote(json.dumps(v)), st.lists(st.integers(), max_size=2)),
    _TEXT,
)
"""IAM's URL-encoded JSON policy documents, some valid and some not (botocore decodes them)."""


def _string(shape: Shape) -> st.SearchStrategy[Any]:
    minimum = int(shape.metadata.get("min", 0))
    text = st.text(alphabet=st.sampled_from("aZ09 -_/.:{}$'\"%é"), min_size=minimum,
                   max_size=max(minimum, 12))
    enum = getattr(shape, "enum", None)
    if enum:
        return st.sampled_from([*enum, UNKNOWN]) | text
    return text


def _number(shape: Shape, low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=max(low, int(shape.metadata.get("min", low))), max_value=high)


_SCALARS: dict[str, Callable[[Shape], st.SearchStrategy[Any]]] = {
    "string": _string,
    "integer": lambda shape: _number(shape, -(2**31), 2**31 - 1),
    "long": lambda shape: _number(shape, -(2**63), 2**63 - 1),
    "double": lambda shape: st.floats(min_value=float(shape.metadata.get("min", -1e12)),
                                      max_value=1e12, allow_nan=False),
    "float": lambda shape: st.floats(min_value=float(shape.metadata.get("min", -1e12)),
                                     max_value=1e12, allow_nan=False),
    "boolean": lambda shape: st.booleans(),
    "timestamp": lambda shape: st.datetimes(timezones=st.just(UTC)),
    "blob": lambda shape: st.binary(max_size=24),
}


def shape_strategy(shape: Shape, overrides: Overrides | None = None, depth: int = 0,
                   streaming: bool = False) -> st.SearchStrategy[Any]:
    """Values botocore's parser could hand back for `shape`."""
    overrides = overrides or {}
    if shape.name in overrides:
        return overrides[shape.name]
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, overrides, depth)
    if kind == "list":
        minimum = int(shape.metadata.get("min", 0))
        return st.lists(shape_strategy(shape.member, overrides, depth + 1),
                        min_size=minimum, max_size=max(minimum, 3))
    if kind == "map":
        return st.dictionaries(shape_strategy(shape.key, overrides, depth + 1),
                               shape_strategy(shape.value, overrides, depth + 1), max_size=3)
    if kind == "blob" and streaming:
        return st.binary(max_size=24).map(lambda b: StreamingBody(io.BytesIO(b), len(b)))
    return _SCALARS[kind](shape)


def _structure(shape: Shape, overrides: Overrides, depth: int) -> st.SearchStrategy[Any]:
    required = set(shape.required_members)
    members: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, member in shape.members.items():
        if name not in required and depth >= MAX_DEPTH:
            continue
        key = f"{shape.name}.{name}"
        strategy = overrides[key] if key in overrides else shape_strategy(
            member, overrides, depth + 1, streaming=shape.serialization.get("payload") == name)
        (members if name in required else optional)[name] = strategy
    return st.fixed_dictionaries(members, optional=optional)


def with_members(shape: Shape, members: Mapping[str, st.SearchStrategy[Any]],
                 overrides: Overrides | None = None) -> st.SearchStrategy[Any]:
    """Values of a structure shape that always have `members`, drawn from their strategies."""
    rest = {key: value for key, value in (overrides or {}).items() if key != shape.name}
    return st.tuples(shape_strategy(shape, rest), st.fixed_dictionaries(dict(members))).map(
        lambda drawn: {**drawn[0], **drawn[1]})


def answers(operation: OperationModel, overrides: Overrides | None = None
            ) -> st.SearchStrategy[Any]:
    """Whole answers of an operation (its output shape), pagination tokens left out."""
    shape = operation.output_shape
    if shape is None:
        return st.just({})
    return shape_strategy(shape, overrides).map(_first_page)


PAGE_TOKENS = ("position", "NextToken", "Marker", "IsTruncated")


def _first_page(answer: dict[str, Any]) -> dict[str, Any]:
    # A token would make the reader ask for a next page: each test answers one page.
    return {key: value for key, value in answer.items() if key not in PAGE_TOKENS}


_NOT_FOUND = {"apigateway": "NotFoundException", "apigatewayv2": "NotFoundException",
              "lambda": "ResourceNotFoundException", "iam": "NoSuchEntity",
              "sts": "NotFoundException"}


_CLIENTS: dict[str, Any] = {}
_ANSWERING: dict[str, Answers] = {}


class Answers:
    """A real boto3 client's calls answered by operation name, without any network.

    Like botocore's Stubber, each answer is checked against the operation's output shape
    (botocore.validate) and handed to the client after its request is built, so the client's
    own after-call handlers (IAM's policy decoding) run on it. Unlike the Stubber it answers
    by name, not in a fixed order, so a reader may make whatever calls its input leads to; an
    operation without an answer gets the service's 404. The newest Answers of a service
    answers its client's calls.
    """

    def __init__(self, service: str) -> None:
        # One client per service, made once: making clients is most of the time spent.
        if service not in _CLIENTS:
            client = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing",
                                  aws_secret_access_key="testing", aws_session_token="t")
            client.meta.events.register_first(
                "before-call.*.*", lambda **kwargs: _ANSWERING[service]._answer(**kwargs))
            _CLIENTS[service] = client
        _ANSWERING[service] = self
        self.client = _CLIENTS[service]
        self.service = service
        self.answers: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []

    def operation(self, name: str) -> OperationModel:
        """The botocore model of one of this client's operations."""
        return self.client.meta.service_model.operation_model(name)

    def set(self, operation: str, answer: dict[str, Any]) -> Answers:
        """Answer `operation` with `answer`, refused unless it fits the model."""
        validate_parameters(answer, self.operation(operation).output_shape)
        self.answers[operation] = answer
        return self

    def _answer(self, model: OperationModel, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        self.calls.append(model.name)
        if model.name in self.answers:
            parsed = dict(self.answers[model.name])
            parsed["ResponseMetadata"] = {"HTTPStatusCode": 200, "HTTPHeaders": {}}
            return AWSResponse("https://example.invalid", 200, {}, None), parsed
        error = {"Error": {"Code": _NOT_FOUND[self.service], "Message": "not found"},
                 "ResponseMetadata": {"HTTPStatusCode": 404, "HTTPHeaders": {}}}
        return AWSResponse("https://example.invalid", 404, {}, None), error


@contextmanager
def one_line_errors(allowed: tuple[type[BaseException], ...]) -> Iterator[None]:
    """Let `allowed` errors through as a result, checking they carry a one-line message."""
    try:
        yield
    except allowed as error:
        message = getattr(error, "message", str(error))
        assert message and "\n" not in message, message


Driver = Callable[..., object]
