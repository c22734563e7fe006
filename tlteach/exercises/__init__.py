"""Every lesson's exercises, by name ("01.more_data"). One module per lesson adds its own."""
from __future__ import annotations

import importlib
import pkgutil

EXERCISES: dict = {}

for _module in pkgutil.iter_modules(__path__):
    if _module.name.startswith("lesson"):
        EXERCISES.update(importlib.import_module(f"{__name__}.{_module.name}").EXERCISES)
