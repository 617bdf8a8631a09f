"""Real-world API definitions imported into the sandbox and LocalStack, checked end to end."""

import pytest

pytest.register_assert_rewrite("tests.corpus.scenario")
