"""Panels: the widgets a student moves and clicks (`widgets`: FreezePanel, FilterExplorer) and lesson 03's
panel for a class's own photos (`own_photos`), and lesson 07's box for class descriptions (`describe`)."""
from . import describe, own_photos, widgets  # noqa: F401
