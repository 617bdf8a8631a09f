"""The emulated AWS account: moto plus the API Gateway (REST and HTTP API) operations it lacks."""

# What the sandbox adds to or changes in moto, each behaviour with its evidence ([REC], [DOC],
# [MODEL], [COMM] or [UNVERIFIED]) and the module implementing it, is listed in one place:
# docs/sandbox.md (tests/docs/test_sandbox_page.py keeps it complete).
#
# Nothing here imports moto or boto3 at import time: the CLI imports this package and must start
# fast. Seed helpers live in asyncgw_sandbox.seed (REST APIs) and asyncgw_sandbox.seed_http
# (HTTP APIs), the HTTP server in asyncgw_sandbox.server.
from asyncgw_sandbox.account import emulated_account
from asyncgw_sandbox.install import install

__all__ = ["emulated_account", "install"]
