"""Exercise checks: say what is right, or give a hint — never crash, never reveal by accident.

    >>> tt.check("01.more_data", "b")
    ✓ Right: ...

Each lesson keeps its exercises in `tlteach/exercises/lessonNN.py` as `Exercise` entries;
the notebook only names the exercise and passes the student's answer. The English texts live
with their exercises; their translations are in the catalogue `exercises.po` (`tr_exercise`),
so the feedback is in the lesson's language.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ..figures.style import FEEDBACK_COLORS
from ..i18n import tr_exercise
from . import EXERCISES


@dataclass
class Feedback:
    """The result of a check: shown green when right, orange with a hint when not."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("✓ " + tr_exercise("Right") if self.correct else "✗ " + tr_exercise("Not yet")) + ": " + self.message

    def _repr_html_(self) -> str:
        colour, mark = (FEEDBACK_COLORS[True], "✓ " + tr_exercise("Right")) if self.correct else \
            (FEEDBACK_COLORS[False], "✗ " + tr_exercise("Not yet"))
        return (f'<div style="border-left:6px solid {colour};padding:6px 10px;font-size:1.05em">'
                f"<b style='color:{colour}'>{mark}:</b> {html.escape(self.message)}</div>")


@dataclass
class Exercise:
    """One exercise: `judge(answer)` returns True/False, or a Feedback with its own message."""

    question: str
    judge: Callable[..., Any]  # judge(answer) or, for an exercise on a measured result, judge(answer, *measured)
    right: str
    hint: str
    hints: dict = field(default_factory=dict)  # specific hints for specific wrong answers


def choice(correct: str, normalise: Callable = lambda a: str(a).strip().lower()) -> Callable:
    """A judge for multiple-choice answers like "b" (case and spaces ignored)."""
    return lambda answer: normalise(answer) == normalise(correct)


def number(target: float, tolerance: float) -> Callable:
    """A judge for numeric answers within `tolerance` of `target`."""

    def judge(answer):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return Feedback(False, tr_exercise("Give a number, not {answer!r}.", answer=answer))
        return not math.isnan(value) and abs(value - target) <= tolerance

    return judge


def read_points(answer) -> float | None:
    """A student's difference in percentage points: 22, "22", "22,5" (a decimal comma) or a fraction (0.22 means 22
    points); None when the answer is not a number."""
    try:
        value = float(str(answer).replace(",", ".")) if isinstance(answer, str) else float(answer)
    except (TypeError, ValueError):
        return None
    if math.isnan(value):
        return None
    return 100 * value if abs(value) < 1 else value


def _registry() -> dict:
    return EXERCISES


def check(name: str, answer: Any, *measured: Any) -> Feedback:
    """Check a student's `answer` to exercise `name` (for example "01.more_data"). Lesson 01.

    An exercise that asks for a number read from the lesson's own output is also given that output
    (`measured`, e.g. the table the experiment returned): the check reads the right answer from the run,
    so it holds on any seed.

    >>> tt.check("01.more_data", "b")
    >>> tt.check("01.read_gap", 22, table)
    """
    exercises = _registry()
    if name not in exercises:
        lesson = name.split(".")[0]
        known = ", ".join(sorted(n for n in exercises if n.startswith(lesson + "."))) or ", ".join(sorted(exercises))
        return Feedback(False, tr_exercise("There is no exercise {name!r}. Exercises: {known}.", name=name, known=known))
    exercise = exercises[name]
    if answer is None or answer is Ellipsis:
        return Feedback(False, tr_exercise("Replace ... (or None) with your answer, then run the cell again."))
    try:
        verdict = exercise.judge(answer, *measured)
    except Exception as err:  # a check never crashes in the student's face
        return Feedback(False, tr_exercise("Could not check this answer ({error}).", error=type(err).__name__)
                        + " " + tr_exercise(exercise.hint))
    if isinstance(verdict, Feedback):
        return Feedback(verdict.correct, tr_exercise(verdict.message))
    if verdict:
        return Feedback(True, tr_exercise(exercise.right))
    key = str(answer).strip().lower() if isinstance(answer, str) else answer
    try:
        specific = exercise.hints.get(key)
    except TypeError:  # an unhashable answer such as a list
        specific = None
    return Feedback(False, tr_exercise(specific or exercise.hint))
