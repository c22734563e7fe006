"""Exercise checks: say what is right, or give a hint — never crash, never reveal by accident.

    >>> tt.check("01.more_data", "b")
    ✓ Right: ...

Each lesson keeps its exercises in `tlteach/exercises/lessonNN.py` as `Exercise` entries;
the notebook only names the exercise and passes the student's answer.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Feedback:
    """The result of a check: shown green when right, orange with a hint when not."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("✓ Right: " if self.correct else "✗ Not yet: ") + self.message

    def _repr_html_(self) -> str:
        colour, mark = ("#1a7f37", "✓ Right") if self.correct else ("#b35900", "✗ Not yet")
        return (f'<div style="border-left:6px solid {colour};padding:6px 10px;font-size:1.05em">'
                f"<b style='color:{colour}'>{mark}:</b> {html.escape(self.message)}</div>")


@dataclass
class Exercise:
    """One exercise: `judge(answer)` returns True/False, or a Feedback with its own message."""

    question: str
    judge: Callable[[Any], Any]
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
            return Feedback(False, f"Give a number, not {answer!r}.")
        return not math.isnan(value) and abs(value - target) <= tolerance

    return judge


def _registry() -> dict:
    from .exercises import EXERCISES

    return EXERCISES


def check(name: str, answer: Any) -> Feedback:
    """Check a student's `answer` to exercise `name` (for example "01.more_data"). Lesson 01.

    >>> tt.check("01.more_data", "b")
    """
    exercises = _registry()
    if name not in exercises:
        lesson = name.split(".")[0]
        known = ", ".join(sorted(n for n in exercises if n.startswith(lesson + "."))) or ", ".join(sorted(exercises))
        return Feedback(False, f"There is no exercise {name!r}. Exercises: {known}.")
    exercise = exercises[name]
    if answer is None or answer is Ellipsis:
        return Feedback(False, "Replace ... (or None) with your answer, then run the cell again.")
    try:
        verdict = exercise.judge(answer)
    except Exception as err:  # a check never crashes in the student's face
        return Feedback(False, f"Could not check this answer ({type(err).__name__}). {exercise.hint}")
    if isinstance(verdict, Feedback):
        return verdict
    if verdict:
        return Feedback(True, exercise.right)
    key = str(answer).strip().lower() if isinstance(answer, str) else answer
    try:
        specific = exercise.hints.get(key)
    except TypeError:  # an unhashable answer such as a list
        specific = None
    return Feedback(False, specific or exercise.hint)
