"""framingclf: label passages of health documents by how they frame health inequalities.

>>> import framingclf
>>> framingclf.score_texts(["Damp, overcrowded homes make children ill."])  # doctest: +SKIP
"""

from framingclf.batch import ScoreResult, score_documents
from framingclf.classifier import FramingClassifier
from framingclf.corpus import read_corpus
from framingclf.errors import (
    CorpusFormatError,
    DocumentReadError,
    FramingError,
    InvalidInputError,
    ModelLoadError,
    ModelVersionWarning,
    UnknownLabelError,
)
from framingclf.labels import CONTINUUM, DESCRIPTIONS, FRAMINGS, LABELS
from framingclf.persistence import load_model
from framingclf.results import load_results
from framingclf.scoring import score_texts

__version__ = "0.1.0"

__all__ = [
    "CONTINUUM",
    "DESCRIPTIONS",
    "FRAMINGS",
    "LABELS",
    "CorpusFormatError",
    "DocumentReadError",
    "FramingClassifier",
    "FramingError",
    "InvalidInputError",
    "ModelLoadError",
    "ModelVersionWarning",
    "ScoreResult",
    "UnknownLabelError",
    "load_model",
    "load_results",
    "read_corpus",
    "score_documents",
    "score_texts",
]
