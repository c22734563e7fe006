"""The package's version, in one place: pyproject.toml reads it (tool.setuptools.dynamic), `tt.__version__` and
the setup line of every lesson (notebook.py) import it. A leaf: it imports nothing, so no module imports upwards
into the package's __init__ to learn it."""
__version__ = "0.1.0"
