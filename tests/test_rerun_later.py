"""Run All twice in one kernel: the later lessons (the first ones and the check itself: tests/test_rerun.py)."""
import pytest

from test_rerun import FIRST_HALF, LESSONS, run_twice

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("notebook", [p for p in LESSONS if p not in FIRST_HALF], ids=lambda p: p.name)
def test_run_all_twice_in_one_kernel(notebook):
    run_twice(notebook)
