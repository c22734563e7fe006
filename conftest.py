"""Test distribution for `make test` (pytest-xdist, --dist loadgroup).

A test file's items stay together on one worker (the cells of a notebook run in order in one kernel; a file's
module-scoped fixtures, a JupyterLab server or a built wheel, are made once), except the files whose tests each
run a whole lesson or a fresh venv on their own: those spread over both workers, so no worker waits alone on
seven lessons run twice.
"""
import pytest

INDEPENDENT = ("tests/test_rerun.py", "tests/test_student.py", "tests/test_setup_cell.py")


def pytest_collection_modifyitems(items):
    for item in items:
        path = item.nodeid.split("::")[0]
        if not path.endswith(INDEPENDENT):
            item.add_marker(pytest.mark.xdist_group(path))
