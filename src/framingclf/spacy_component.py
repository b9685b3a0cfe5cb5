"""framingclf as a spaCy pipeline component: ``nlp.add_pipe("framingclf")``.

The component labels each `Doc` (a passage) with a framingclf model: ``doc.cats``
holds the calibrated probability of every label, and ``doc._.framing`` the label, its
confidence and the cues (the words that most favoured it). It is registered through
the ``spacy_factories`` entry point, so ``spacy.blank("en").add_pipe("framingclf")``
works once framingclf is installed, without importing it.

    nlp = spacy.blank("en")
    nlp.add_pipe("framingclf", config={"model": "models/my-model"})  # default: shipped
    doc = nlp("Damp homes make children ill.")
    doc._.framing.label, doc.cats["social-determinants"]

The model reads the document's text with its own preprocessing (it does not use the
pipeline's tokens). ``nlp.pipe`` scores documents in batches; ``nlp.to_disk`` saves
the model with the pipeline and ``spacy.load`` brings it back; ``nlp.evaluate`` scores
``doc.cats`` with spaCy's `Scorer.score_cats`, as for a ``textcat`` component.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

from framingclf.labels import LABELS


class Framing(NamedTuple):
    """What the component says about a doc: its label, confidence and cues."""

    label: str
    confidence: float
    cues: list[str]


if not Doc.has_extension("framing"):
    Doc.set_extension("framing", default=None)


@Language.factory(
    "framingclf",
    default_config={"model": None, "cues": 5, "batch_size": 256},
    assigns=["doc.cats", "doc._.framing"],
    default_score_weights={"cats_score": 1.0, "cats_macro_f": None, "cats_macro_auc": None},
)
def make_framingclf(nlp: Language, name: str, model: str | None, cues: int,
                    batch_size: int) -> FramingComponent:
    """The framingclf component; `model` a model directory (None: the shipped model),
    `cues` the number of cue words per doc (0: none, faster)."""
    return FramingComponent(name, model=model, cues=cues, batch_size=batch_size)


class FramingComponent:
    """Sets ``doc.cats`` and ``doc._.framing`` from a framingclf model (loaded on first
    use, so building a pipeline that is then loaded from disk loads only one model)."""

    def __init__(self, name: str = "framingclf", *, model: Any = None, cues: int = 5,
                 batch_size: int = 256):
        self.name = name
        self.cues = cues
        self.batch_size = batch_size
        self._source = model
        self._model = None if isinstance(model, (str, Path)) or model is None else model

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    @property
    def model(self) -> Any:
        """The fitted framingclf model."""
        if self._model is None:
            from framingclf.persistence import resolve_model

            self._model = resolve_model(self._source)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        return self._set([doc])[0]

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        """Label docs in batches (one call to the model per batch)."""
        stream = iter(stream)
        while batch := list(islice(stream, batch_size or self.batch_size)):
            yield from self._set(batch)

    def _set(self, docs: list[Doc]) -> list[Doc]:
        from framingclf.scoring import score_texts

        texts = [doc.text for doc in docs]
        table = score_texts(texts, self.model, review_below=None)
        proba = table[[f"p_{label}" for label in LABELS]].to_numpy(dtype=float)
        cues = self._cues(texts)
        for i, doc in enumerate(docs):
            doc.cats = dict(zip(LABELS, proba[i].tolist()))
            doc._.framing = Framing(str(table["label"].iat[i]),
                                    float(table["confidence"].iat[i]), cues[i])
        return docs

    def _cues(self, texts: list[str]) -> list[list[str]]:
        if not self.cues:
            return [[] for _ in texts]
        from framingclf.cues import cues

        return cues(self.model, texts, n=self.cues)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """spaCy's textcat scores of ``doc.cats`` (one label per doc)."""
        return Scorer.score_cats(examples, "cats", labels=LABELS, multi_label=False,
                                 **kwargs)

    # -- serialisation: the model directory inside the pipeline's ----------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the model into `path` (a framingclf model directory)."""
        from framingclf.persistence import resolve_model_dir, save_model

        path = Path(path)
        source = resolve_model_dir(self._source)  # None when given a model object
        if source is not None and source.is_dir():
            shutil.copytree(source, path, dirs_exist_ok=True)
        else:
            save_model(self.model, path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()
                  ) -> FramingComponent:
        """Use the model saved in `path` by `to_disk`."""
        self._source, self._model = Path(path), None
        return self
