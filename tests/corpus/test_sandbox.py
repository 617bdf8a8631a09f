"""Every definition of the corpus imported into the sandbox (moto plus asyncgw_sandbox)."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import Clients

from tests.corpus import definitions
from tests.corpus.scenario import Emulator, check


def test_the_corpus_is_there() -> None:
    assert len(definitions.names()) == 36, definitions.corpus_dir()


@pytest.mark.parametrize("name", definitions.names())
def test_a_definition_in_the_sandbox(name: str, account: Clients) -> None:
    check(definitions.load(name), Emulator("the sandbox", account.apigateway, None,
                                           definitions.NOT_IMPORTED_BY_SANDBOX))
