"""framingclf's version, in a module of its own so that any part can read it without
importing the package's public names (and so without an import cycle)."""

__version__ = "0.2.0"
