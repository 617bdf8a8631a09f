"""The layout holds: which package may import which, module sizes, imports at module level."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ROOT / "asyncgw"
MAX_LINES = 400
ALLOWED = {
    # package: the asyncgw packages it may import (besides itself and asyncgw.__version__)
    "core": {"core"},
    "aws": {"core", "aws"},
    "rest": {"core", "aws", "rest"},
    "http": {"core", "aws", "http"},
}
"""core knows neither AWS nor a backend, aws no backend; REST and HTTP never import each other."""


def modules() -> Iterator[Path]:
    """Every module of the product."""
    yield from sorted(PRODUCT.rglob("*.py"))


def package(path: Path) -> str:
    """The top-level package under asyncgw/ that a module belongs to ('' for asyncgw/*.py)."""
    parts = path.relative_to(PRODUCT).parts
    return parts[0] if len(parts) > 1 else ""


def imported(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    """Each import statement with the asyncgw module it names."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_size(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it"


@pytest.mark.parametrize("path", [p for p in modules() if package(p) in ALLOWED],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_package_dependencies(path: Path) -> None:
    allowed = ALLOWED[package(path)]
    for _, module in imported(ast.parse(path.read_text(encoding="utf-8"))):
        parts = module.split(".")
        if parts[0] == "asyncgw" and len(parts) > 1:
            assert parts[1] in allowed, f"{path.relative_to(ROOT)} imports {module}"
        assert parts[0] != "asyncgw_sandbox", f"{path.relative_to(ROOT)} imports the sandbox"


def _function_local_imports(tree: ast.AST) -> Iterator[ast.stmt]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner


LAZY = {
    "asyncgw/http/forwarder/handler.py":
        "runs inside Lambda: boto3 is imported on the first invocation, not at cold start",
}


@pytest.mark.parametrize("path", [p for p in modules() if package(p) != "cli"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_at_module_level(path: Path) -> None:
    """Only the CLI's command bodies import lazily (start-up time); the library imports on top."""
    if str(path.relative_to(ROOT)) in LAZY:
        return
    local = [f"line {node.lineno}" for node in
             _function_local_imports(ast.parse(path.read_text(encoding="utf-8")))]
    assert not local, f"{path.relative_to(ROOT)} imports inside functions: {', '.join(local)}"


def test_only_aws_makes_sessions_and_clients() -> None:
    makers = []
    for path in modules():
        if package(path) == "aws" or str(path.relative_to(ROOT)) in LAZY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    node.func.attr in ("Session", "client")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("boto3", "session")):
                makers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not makers, f"boto3 sessions or clients made outside asyncgw/aws: {makers}"
