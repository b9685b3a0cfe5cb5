"""framingclf's exceptions and warnings.

Messages say what was expected, what arrived, and what to do. The CLI prints them as
one `Error: ...` line.
"""

from __future__ import annotations


class FramingError(Exception):
    """Base class of every error framingclf raises on purpose."""


class InvalidInputError(FramingError, ValueError):
    """Texts handed to a model are not what it expects (e.g. a bare string)."""


class UnknownLabelError(FramingError, ValueError):
    """A label outside `framingclf.LABELS`."""


class CorpusFormatError(FramingError, ValueError):
    """A labelled corpus file is missing columns, has bad rows or cannot be parsed."""


class ModelLoadError(FramingError, OSError):
    """A model directory is missing, incomplete, tampered with or of an unknown kind."""


class DocumentReadError(FramingError, OSError):
    """A document cannot be read into passages."""


class ModelVersionWarning(UserWarning):
    """A model was saved by other versions of framingclf, scikit-learn or spaCy."""


class OverlapWarning(UserWarning):
    """An evaluation set holds passages the model was trained on."""
