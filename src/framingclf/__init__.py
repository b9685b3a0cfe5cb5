"""framingclf: label passages of health documents by how they frame health inequalities.

>>> import framingclf
>>> framingclf.score_texts(["Damp, overcrowded homes make children ill."])  # doctest: +SKIP

The public API is the names in `__all__`; they are imported on first use, so that
``import framingclf`` is quick. Everything else lives in modules named for what they
do (`framingclf.tables`, `framingclf.readers`, `framingclf.batch`, ...), and names
starting with an underscore are internal.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from framingclf._version import __version__

if TYPE_CHECKING:
    from framingclf.auditing import audit
    from framingclf.batch import score_documents
    from framingclf.classifier import FramingClassifier
    from framingclf.explanations import explain
    from framingclf.labels import LABELS
    from framingclf.persistence import load_model
    from framingclf.profiles import profile
    from framingclf.reports import report
    from framingclf.scoring import score_document, score_texts
    from framingclf.tables import ScoreResult, load_results

# public name -> the module that defines it
_API = {
    "LABELS": "framingclf.labels",
    "FramingClassifier": "framingclf.classifier",
    "ScoreResult": "framingclf.tables",
    "audit": "framingclf.auditing",
    "explain": "framingclf.explanations",
    "load_model": "framingclf.persistence",
    "load_results": "framingclf.tables",
    "profile": "framingclf.profiles",
    "report": "framingclf.reports",
    "score_document": "framingclf.scoring",
    "score_documents": "framingclf.batch",
    "score_texts": "framingclf.scoring",
}

__all__ = [
    "LABELS",
    "FramingClassifier",
    "ScoreResult",
    "__version__",
    "audit",
    "explain",
    "load_model",
    "load_results",
    "profile",
    "report",
    "score_document",
    "score_documents",
    "score_texts",
]


def __getattr__(name: str) -> Any:
    """A public name, or a module of the package (``framingclf.profiles``), on first use."""
    module = _API.get(name)
    if module is not None:
        value = getattr(import_module(module), name)
    elif not name.startswith("_") and find_spec(f"framingclf.{name}") is not None:
        value = import_module(f"framingclf.{name}")
    else:
        raise AttributeError(f"module 'framingclf' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
