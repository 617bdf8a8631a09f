"""docs/http-apis.md: its examples are what the CLI prints, its table what the forwarder answers,
and its policy what `asyncgw iam-policy` prints."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api
from botocore.exceptions import ClientError, EndpointConnectionError

from asyncgw.http.forwarder.handler import make_handler
from asyncgw.iam_policy import policy
from tests.docs.clirun import asyncgw, shows
from tests.docs.markdown import DOCS, Block, blocks, expected_exit, section, table_rows

PAGE = DOCS / "http-apis.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = blocks(TEXT)
API_ID, REGION = "k3v9wq2x7d", "us-east-1"
ELISION = re.compile(r"\.\.\.")
# Ids differ on every run: each becomes a placeholder, in the page and in the output alike.
IDS = (
    (re.compile(r"\((\w+)\)(?=(?:, HTTP API)? in )"), "(API)"),
    (re.compile(r"permission asyncgw-\w+ on"), "permission asyncgw-API on"),
    (re.compile(r":\w+/\*/\*"), ":API/*/*"),
    (re.compile(r"integrations/\w+"), "integrations/ID"),
    (re.compile(r"integration (?!new-)\w+ \("), "integration ID ("),
)


def _normal(text: str) -> str:
    for pattern, placeholder in IDS:
        text = pattern.sub(placeholder, text)
    # Table columns are as wide as their widest cell, and the id's length sets one of them.
    return "\n".join(re.sub(r"─+$", "─", line) for line in text.splitlines())


def _examples() -> list[tuple[Block, Block]]:
    """Each `<!-- http-example -->` command block with the output block after it."""
    return [(block, BLOCKS[i + 1]) for i, block in enumerate(BLOCKS)
            if block.marker == "http-example"]


@pytest.fixture
def events() -> Iterator[None]:
    with emulated_account(REGION):
        # The page's example API is the sandbox's sample HTTP API.
        seed_sample_http_api(http_api_clients(clients(REGION)))
        yield


def test_the_page_has_examples() -> None:
    examples = _examples()
    assert len(examples) >= 4
    assert all(len(command.commands) == 1 for command, _ in examples)
    assert all(output.info == "text" for _, output in examples)


def test_every_example_prints_what_the_page_shows(events: None) -> None:
    for command_block, output_block in _examples():
        (command,) = command_block.commands
        code, out, err = asyncgw(command)
        assert code == expected_exit(command), f"$ {command}\n{out}{err}"
        assert shows(_normal(output_block.body), _normal(out), ELISION), f"$ {command}\n{out}"


def test_the_example_policy_is_what_iam_policy_prints() -> None:
    index = next(i for i, b in enumerate(BLOCKS) if b.marker == "http-policy")
    (command,) = BLOCKS[index - 1].commands
    code, out, _ = asyncgw(command)
    assert code == 0
    printed = [s for s in json.loads(out)["Statement"] if s["Sid"].startswith("AsyncgwHttp")]
    assert json.loads(BLOCKS[index].body) == printed
    assert printed == [s for s in policy(API_ID, REGION)["Statement"]
                       if s["Sid"].startswith("AsyncgwHttp")]


# What callers see: the forwarder's answers, from its handler with a stub Lambda client.

REQUEST_ID = "8f0c6c2e-..."
TARGET = f"arn:aws:lambda:{REGION}:123456789012:function:events-jobs"


class _Lambda:
    """Answers Invoke as given: a response, or an exception to raise."""

    def __init__(self, answer: dict[str, Any] | Exception) -> None:
        self.answer = answer

    def invoke(self, **_: Any) -> dict[str, Any]:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _refused(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "refused"}}, "Invoke")


def _answers() -> set[tuple[int, str]]:
    queued = {"ResponseMetadata": {"RequestId": REQUEST_ID}, "StatusCode": 202}
    failed = {"ResponseMetadata": {"RequestId": REQUEST_ID}, "FunctionError": "Unhandled",
              "Payload": b'{"errorMessage": "boom"}'}
    cases: list[tuple[str, dict[str, str], dict[str, Any] | Exception]] = [
        ("async", {}, queued),
        ("switchable", {"InvocationType": "Event"}, queued),
        ("switchable", {}, queued),
        ("switchable", {"invocationtype": " "}, queued),
        ("switchable", {"InvocationType": "event"}, queued),
        ("switchable", {"InvocationType": "RequestResponse"}, failed),
        ("async", {}, _refused("TooManyRequestsException")),
        ("async", {}, _refused("RequestEntityTooLargeException")),
        ("async", {}, EndpointConnectionError(endpoint_url="https://lambda")),
    ]
    found = set()
    for mode, headers, answer in cases:
        handler = make_handler(_Lambda(answer), {"TARGET_FUNCTION_ARN": TARGET, "MODE": mode})
        response = handler({"headers": headers}, None)
        assert response["headers"] == {"content-type": "application/json"}
        found.add((response["statusCode"], json.dumps(json.loads(response["body"]))))
    return found


def test_the_callers_table_is_what_the_forwarder_answers(capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    rows = table_rows(section(TEXT, "## What callers see"))
    documented = set()
    for _, _, status, body in rows:
        if status.isdigit():
            (text,) = re.findall(r"`(\{.*\})`", body)
            documented.add((int(status), json.dumps(json.loads(text))))
    assert documented == _answers()
    capsys.readouterr()  # the forwarder's log lines
