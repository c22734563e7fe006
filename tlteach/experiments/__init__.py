"""Experiments: the three strategies as recipes (`recipes`), runs over seeds and the course's rule for a real
difference (`repeats`), the one runner of settings x seeds (`runner`), and the lessons' experiments built on it:
comparing strategies (`strategies`), data size (`datasize`), freeze depth (`sweep`, its rules of thumb read by
`rules`), zero-shot (`zeroshot`).

`tt.experiments.<name>` is `tt.experiments.strategies.<name>`: compare_strategies, Comparison.
"""
from . import datasize, recipes, repeats, rules, runner, step_size, strategies, sweep, zeroshot  # noqa: F401
from .strategies import COLUMNS, Comparison, compare_strategies  # noqa: F401
