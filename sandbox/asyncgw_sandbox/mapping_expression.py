"""Checking an integration request parameter's value: a quoted static or a known mapping source."""

from __future__ import annotations

import re
from collections.abc import Mapping

from asyncgw_sandbox.errors import invalid_mapping_expression, undeclared_mapping_parameter

# A static value is wrapped in single quotes, e.g. 'Event' [MODEL Integration.requestParameters].
STATIC_VALUE = re.compile(r"^'.*'$", re.DOTALL)
METHOD_PARAMETER_SOURCE = re.compile(
    r"^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$"
)
OTHER_SOURCES = (
    re.compile(r"^method\.request\.body(\..+)?$"),
    re.compile(r"^context\.[A-Za-z0-9_.\-]+$"),
    re.compile(r"^stageVariables\.[A-Za-z0-9_.\-]+$"),
)
# A multi-value source reads the single-value parameter the method declares [DOC parameter mapping].
DECLARED_LOCATION = {"multivalueheader": "header", "multivaluequerystring": "querystring"}


def check_integration_source(value: str | None, declared: Mapping[str, bool]) -> None:
    """Raise AWS's BadRequest unless `value` is a static or a source the method can supply."""
    if value is None:
        raise invalid_mapping_expression(value)  # [UNVERIFIED] for a missing value
    if STATIC_VALUE.match(value) or any(source.match(value) for source in OTHER_SOURCES):
        return
    match = METHOD_PARAMETER_SOURCE.match(value)
    if match is None:
        raise invalid_mapping_expression(value)  # [COMM awsdocs PR #172]
    location = DECLARED_LOCATION.get(match.group(1), match.group(1))
    if f"method.request.{location}.{match.group(2)}" not in declared:
        raise undeclared_mapping_parameter(value)  # [COMM awsdocs issue #24]
