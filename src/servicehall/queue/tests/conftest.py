from __future__ import annotations

import pytest

from servicehall.queue.tests.factories import hall as make_hall


@pytest.fixture
def hall(db):
    return make_hall(lines=2, windows=2)
