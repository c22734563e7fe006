"""`python -m tlteach.sweep --regenerate`: the command the lessons name for recomputing the shipped freeze sweep.

The experiment itself lives in `tlteach/experiments/sweep.py` (`tt.sweep` in the lessons); this file is only
its command line, kept at the short address the lessons and the README give.
"""
from .experiments.sweep import main

if __name__ == "__main__":
    raise SystemExit(main())
