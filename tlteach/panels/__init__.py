"""Panels: the widgets a student moves and clicks (`widgets`: FreezePanel, FilterExplorer) and lesson 03's
panel for a class's own photos (`own_photos`)."""
from . import own_photos, widgets  # noqa: F401
