"""The forwarder zip: one file, the exact handler source, deterministic, standard library only."""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import sys
import zipfile
from pathlib import Path

from asyncgw.http.forwarder import package
from asyncgw.http.forwarder.package import code_sha256, forwarder_zip, handler_source

HANDLER_FILE = Path(package.__file__).with_name("handler.py")


def test_the_zip_holds_lambda_function_py_with_the_handler_source() -> None:
    with zipfile.ZipFile(io.BytesIO(forwarder_zip())) as bundle:
        assert bundle.namelist() == ["lambda_function.py"]
        shipped = bundle.read("lambda_function.py").decode()
    assert shipped == handler_source() == HANDLER_FILE.read_text(encoding="utf-8")


def test_the_zip_is_the_same_bytes_every_time() -> None:
    first = forwarder_zip()
    forwarder_zip.cache_clear()
    assert forwarder_zip() == first
    assert code_sha256() == base64.b64encode(hashlib.sha256(first).digest()).decode()


def test_the_shipped_module_imports_only_the_standard_library_and_boto3() -> None:
    tree = ast.parse(handler_source())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"__future__", "boto3", "botocore"}
    assert imported <= allowed, imported - allowed


def test_the_shipped_module_runs_on_its_own() -> None:
    namespace: dict[str, object] = {"__name__": "lambda_function"}
    with zipfile.ZipFile(io.BytesIO(forwarder_zip())) as bundle:
        exec(compile(bundle.read("lambda_function.py"), "lambda_function.py", "exec"), namespace)
    assert callable(namespace["handler"]) and callable(namespace["make_handler"])
    assert package.HANDLER == "lambda_function.handler"
