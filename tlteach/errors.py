"""One exception type for every mistake a student can fix.

Messages are short and say what to do. In Jupyter, `tlteach` shows them
without the long traceback (see `show_short_errors`).

Example:
    >>> raise TLTeachError("num_classes must be a whole number >= 2, got 1.")
"""
from __future__ import annotations


class TLTeachError(ValueError):
    """A problem with what was asked for, explained in one or two sentences."""


def show_short_errors(enable: bool = True) -> bool:
    """In IPython/Jupyter, print TLTeachError as one red line instead of a traceback.

    Returns True when the handler was installed (False outside IPython).
    Call `show_short_errors(False)` to get full tracebacks back.
    """
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

        from .i18n import tr

        line = tr("{kind}: {message}", kind=etype.__name__, message=value)
        print(f"\x1b[31m{line}\x1b[0m", file=sys.stderr)
        print(tr("(tlteach: run tt.errors.show_short_errors(False) to see the full traceback)"), file=sys.stderr)
        return None

    shell.set_custom_exc((TLTeachError,), _handler)
    return True


def check_num_classes(num_classes) -> int:
    """Return `num_classes` as an int, or raise a TLTeachError that says what is wrong."""
    from .i18n import tr  # here, not at the top: tlteach.i18n imports this module

    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        try:
            import numpy as np

            if isinstance(num_classes, np.integer):
                num_classes = int(num_classes)
        except ImportError:  # pragma: no cover
            pass
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise TLTeachError(tr(
            "num_classes must be a whole number such as 10, got {num_classes!r} ({kind}). Tip: use len(train.classes).",
            num_classes=num_classes, kind=type(num_classes).__name__))
    if num_classes < 2:
        raise TLTeachError(tr(
            "num_classes must be at least 2 (a classifier chooses between classes), got {num_classes}.",
            num_classes=num_classes))
    return num_classes
