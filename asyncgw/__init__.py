"""asyncgw: make Lambda-backed API Gateway methods answer without waiting for the function.

`import asyncgw` stays cheap (the command line imports it first): the entry points below load
asyncgw.library, and with it boto3 and the backends, on first use.
"""

from __future__ import annotations

import importlib

# typing costs start-up 5 ms; mypy treats any name TYPE_CHECKING as typing's.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from asyncgw.core.backend import ChangePlan, ChangeRequest, Report, Verified, VerifyPlan
    from asyncgw.core.modes import Mode
    from asyncgw.core.saved_plan import RedeployRequest
    from asyncgw.library import (
        Account,
        advise,
        export_code,
        find,
        list_apis,
        plan_cancel_canary,
        plan_change,
        plan_from_file,
        plan_promote,
        plan_recover,
        plan_redeploy,
        plan_verify,
        save_plan,
        status,
        unfinished,
        verify,
    )

__version__ = "0.1.0"

__all__ = [
    "Account",
    "ChangePlan",
    "ChangeRequest",
    "Mode",
    "RedeployRequest",
    "Report",
    "Verified",
    "VerifyPlan",
    "advise",
    "export_code",
    "find",
    "list_apis",
    "plan_cancel_canary",
    "plan_change",
    "plan_from_file",
    "plan_promote",
    "plan_recover",
    "plan_redeploy",
    "plan_verify",
    "save_plan",
    "status",
    "unfinished",
    "verify",
]

_HOMES = {
    "ChangePlan": "asyncgw.core.backend",
    "Report": "asyncgw.core.backend",
    "Verified": "asyncgw.core.backend",
    "VerifyPlan": "asyncgw.core.backend",
    "Mode": "asyncgw.core.modes",
    "ChangeRequest": "asyncgw.core.backend",
    "RedeployRequest": "asyncgw.core.saved_plan",
}
"""Where each public name lives; every other one is in asyncgw.library."""


def __getattr__(name: str) -> object:
    """Load an entry point on first use."""
    if name not in __all__:
        raise AttributeError(f"module 'asyncgw' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES.get(name, "asyncgw.library")), name)
