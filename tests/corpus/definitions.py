"""The real-world API definitions of ../shared/corpus, and what each emulator does with them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _candidates() -> list[Path]:
    explicit = os.environ.get("ASYNCGW_CORPUS")
    if explicit:
        return [Path(explicit)]
    found = [ROOT.parent / "shared" / "corpus"]
    git = ROOT / ".git"
    if git.is_file():  # a git worktree: shared/ sits beside the main checkout
        common = Path(git.read_text().split("gitdir:", 1)[-1].strip()).parents[2]
        found.append(common.parent / "shared" / "corpus")
    return found


@cache
def corpus_dir() -> Path:
    """The folder of definitions; fails with what was looked for when it is absent."""
    for candidate in _candidates():
        if (candidate / "PROVENANCE.md").is_file():
            return candidate
    looked = ", ".join(str(c) for c in _candidates())
    raise FileNotFoundError(
        f"the API definitions corpus is not there (looked in {looked}): the tests read "
        "../shared/corpus beside the repository, or the folder ASYNCGW_CORPUS names")


MISSING = "corpus-missing"


def names() -> list[str]:
    """Every definition's file name, sorted; without the corpus one name whose load fails."""
    try:
        folder = corpus_dir()
    except FileNotFoundError:
        return [MISSING]  # each test then fails with corpus_dir()'s message, none is skipped
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".json", ".yaml"))


@dataclass(frozen=True)
class Definition:
    """One definition: its bytes as imported and the document as parsed."""

    name: str
    body: bytes
    document: dict[str, Any]


@cache
def load(name: str) -> Definition:
    """Read one definition of the corpus."""
    body = (corpus_dir() / name).read_bytes()
    document = json.loads(body) if name.endswith(".json") else yaml.safe_load(body)
    return Definition(name, body, document)


NOT_IMPORTED_BY_LOCALSTACK = {
    # LocalStack 2026.3.0 answers ImportRestApi with InternalError "'NoneType' object has no
    # attribute 'get'" for each of these. What AWS does with them is not recorded.
    "aws-samples__aws-serverless-ecommerce-platform__products-openapi.yaml":
        "its schemas are $refs into another file (../../shared/resources/schemas.yaml)",
    "aws-samples__aws-serverless-saas-workshop__lab6-admin-api.yaml":
        "openapi 3.0.1 with Swagger 2 constructs: $refs to #/definitions, which OpenAPI 3 "
        "does not have",
    "aws-samples__aws-serverless-saas-workshop__lab6-tenant-api.yaml":
        "openapi 3.0.1 with Swagger 2 constructs: $refs to #/definitions, which OpenAPI 3 "
        "does not have",
    "aws-samples__serverless-patterns__durable-human-approval-api.yaml":
        "no info object (SAM adds one when it deploys the template)",
    "aws-samples__serverless-patterns__durable-order-processing-api.yaml":
        "no info object (SAM adds one when it deploys the template)",
    "aws-samples__serverless-patterns__durable-scheduled-tasks-api.yaml":
        "no info object (SAM adds one when it deploys the template)",
}

NOT_IMPORTED_BY_SANDBOX = {
    # The sandbox refuses what it cannot name or what moto's own checks refuse.
    "aws-samples__serverless-patterns__durable-human-approval-api.yaml":
        "no info.title to name the API after (SAM adds info when it deploys the template)",
    "aws-samples__serverless-patterns__durable-order-processing-api.yaml":
        "no info.title to name the API after (SAM adds info when it deploys the template)",
    "aws-samples__serverless-patterns__durable-scheduled-tasks-api.yaml":
        "no info.title to name the API after (SAM adds info when it deploys the template)",
    "awslabs__aws-apigateway-importer__importer-apigateway.json":
        "credentials arn:aws:iam::ACCOUNT_ID:role/lambda_exec_role, a placeholder account: "
        "moto refuses a role of another account (AccessDeniedException)",
}
