"""The forwarder's deployment package: handler.py as lambda_function.py in a zip built in memory."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from functools import cache
from importlib import resources

MODULE = "lambda_function"
HANDLER = f"{MODULE}.handler"
RUNTIME = "python3.13"
"""A supported Lambda Python runtime; it ships boto3, the handler's only dependency [DOC]."""

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def handler_source() -> str:
    """The source of asyncgw/http/forwarder/handler.py, exactly as shipped."""
    source = resources.files("asyncgw.http.forwarder").joinpath("handler.py")
    return source.read_text(encoding="utf-8")


@cache
def forwarder_zip() -> bytes:
    """The zip Lambda runs: one file, lambda_function.py, with fixed metadata."""
    archive = io.BytesIO()
    # Fixed timestamp and mode: the same source always gives the same bytes, so CodeSha256
    # tells whether a deployed forwarder runs this version of the code.
    entry = zipfile.ZipInfo(f"{MODULE}.py", date_time=_FIXED_TIME)
    entry.external_attr = 0o644 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(entry, handler_source())
    return archive.getvalue()


def code_sha256() -> str:
    """Lambda's CodeSha256 of forwarder_zip(): the SHA-256 digest in base64 [MODEL lambda]."""
    return base64.b64encode(hashlib.sha256(forwarder_zip()).digest()).decode()
