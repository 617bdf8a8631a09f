"""One placeholder scheme for both kinds of API: ${kind:key}, filled in as ids become known."""

from __future__ import annotations

import pytest

from asyncgw.core.bindings import Bindings, placeholder
from asyncgw.core.errors import ApplyFailed
from asyncgw.http.steps import INTEGRATION, ZIP_PLACEHOLDER, integration_placeholder
from asyncgw.rest.plan import NEW_VALIDATOR, new_validator_id


def test_both_backends_write_the_same_scheme() -> None:
    assert new_validator_id("params") == placeholder(NEW_VALIDATOR, "params")
    assert new_validator_id("params") == "${new-validator:params}"
    assert integration_placeholder("POST /jobs") == "${integration:POST /jobs}"


def test_placeholders_are_filled_at_any_depth_and_other_text_is_left_alone() -> None:
    bindings = Bindings(INTEGRATION, {"abc": "abc"})
    bindings.create({"new": "i-1"})
    params = {"Target": "integrations/" + placeholder(INTEGRATION, "new"),
              "List": [placeholder(INTEGRATION, "abc"), 3],
              "Uri": "arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}",
              "Other": placeholder(NEW_VALIDATOR, "new"), "Code": ZIP_PLACEHOLDER}
    assert bindings.resolve(params) == {
        "Target": "integrations/i-1", "List": ["abc", 3],
        "Uri": "arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}",
        "Other": "${new-validator:new}", "Code": ZIP_PLACEHOLDER}


def test_only_ids_the_writes_created_count_as_created() -> None:
    bindings = Bindings(INTEGRATION, {"old": "old"})
    bindings.create({"k": "i-1"})
    bindings.rebind({"old": "i-2"})  # an undo re-created it under a new id
    assert bindings.created == {"k": "i-1"}
    assert bindings.resolve_text(placeholder(INTEGRATION, "old")) == "i-2"


def test_a_placeholder_used_before_its_step_ran_is_refused() -> None:
    with pytest.raises(ApplyFailed, match=r"uses \$\{new-validator:x\} before a step created"):
        Bindings(NEW_VALIDATOR).resolve_text(new_validator_id("x"))
