"""The account both kinds of snapshot builders describe: its id, its region, its functions."""

from __future__ import annotations

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


def arn(name: str) -> str:
    """The ARN of a Lambda function in the test account."""
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"
