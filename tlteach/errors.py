"""One exception type for every mistake a student can fix.

Messages are short and say what to do. In Jupyter, `tlteach` shows them
without the long traceback (see `show_short_errors`).

Example:
    >>> raise TLTeachError("num_classes must be a whole number >= 2, got 1.")
"""
from __future__ import annotations


class TLTeachError(ValueError):
    """A problem with what was asked for, explained in one or two sentences."""


class TrainingDiverged(TLTeachError):
    """The loss became inf or nan: the message says what to do, `history` holds the epochs that finished."""

    def __init__(self, message: str, history=None):
        super().__init__(message)
        self.history = history


_TRANSLATE: list = []  # the translation function the short-error handler uses (set by show_short_errors)


def show_short_errors(enable: bool = True, translate=None) -> bool:
    """In IPython/Jupyter, print TLTeachError as one red line instead of a traceback.

    Returns True when the handler was installed (False outside IPython).
    Call `show_short_errors(False)` to get full tracebacks back. `translate(text, **values)`
    puts the handler's own words in the lesson's language (tlteach passes `tt.i18n.tr`); this
    module imports nothing of tlteach, so every other module can import it.
    """
    if translate is None:
        translate = _TRANSLATE[0] if _TRANSLATE else (lambda text, **values: text.format(**values))
    _TRANSLATE[:] = [translate]
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython always comes with Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if not enable:
        shell.set_custom_exc((), None)
        return True

    def _handler(shell, etype, value, tb, tb_offset=None):
        import sys

        tr = _TRANSLATE[0]
        line = tr("{kind}: {message}", kind=etype.__name__, message=value)
        print(f"\x1b[31m{line}\x1b[0m", file=sys.stderr)
        print(tr("(tlteach: run tt.errors.show_short_errors(False) to see the full traceback)"), file=sys.stderr)
        return None

    shell.set_custom_exc((TLTeachError,), _handler)
    return True
