"""What to code next: the passages whose labels would teach the model most.

`queue` ranks a pool of uncoded passages by margin uncertainty (the gap between the
model's two most probable labels: a small gap means the model cannot decide) and
spreads its picks over clusters of the model's own feature space, so that fifty picks
are not fifty variants of one confusing sentence; no document gives more than
`per_document` of them. Each pick carries the model's label, pre-filled for the coder
to confirm or correct (`framingclf.exports` writes them for Label Studio, Prodigy,
doccano or Excel).

When to stop: code a batch, retrain, and compare the new model with the previous one on
a fixed pool of uncoded passages (`stability`). When successive models label that pool
almost identically (Cohen's kappa of at least 0.99 for three rounds running, after
Bloodgood and Vijay-Shanker's "stabilizing predictions", 2009), more codings of this
kind are unlikely to change the model much (`should_stop`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import softmax

from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS

#: Candidates considered for clustering, as a multiple of the number asked for.
POOL_FACTOR = 10


def margins(proba: np.ndarray) -> np.ndarray:
    """The gap between the two largest probabilities of each row (0: undecided)."""
    top = np.sort(proba, axis=1)
    return top[:, -1] - top[:, -2]


def _embedding(features: Any, rank: int, random_state: int) -> np.ndarray:
    """Rows of a (sparse) feature matrix in `rank` dimensions: their top singular
    directions, from the rows' Gram matrix when there are few rows (exact and fast),
    else by randomized SVD."""
    from sklearn.decomposition import TruncatedSVD

    if features.shape[0] > 3000:
        return TruncatedSVD(rank, random_state=random_state).fit_transform(features)
    gram = features @ features.T
    gram = gram.toarray() if hasattr(gram, "toarray") else np.asarray(gram)
    values, vectors = np.linalg.eigh(gram)
    top = np.argsort(values)[::-1][:rank]
    return vectors[:, top] * np.sqrt(np.clip(values[top], 0.0, None))


def _clusters(features: Any, n_clusters: int, random_state: int) -> np.ndarray:
    """Cluster rows of a feature matrix: cosine k-means on a low-rank view."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    n_rows = features.shape[0]
    if n_rows <= n_clusters:
        return np.arange(n_rows)
    if n_clusters <= 1:
        return np.zeros(n_rows, dtype=int)
    view = normalize(_embedding(features, min(50, n_rows - 1), random_state))
    return KMeans(n_clusters, n_init=3, random_state=random_state).fit_predict(view)


def select(proba: np.ndarray, features: Any, documents: Sequence[object] | None = None, *,
           n: int = 50, per_document: int | None = 5, diversity: bool = True,
           random_state: int = 0) -> pd.DataFrame:
    """Rows to code next, in order: ``index`` (into the inputs), ``margin`` and
    ``cluster``.

    The ``POOL_FACTOR * n`` least certain rows are clustered into `n` groups in the
    model's feature space (`features`, one row per input); picks go round the clusters,
    most uncertain first, skipping rows whose document already has `per_document`.
    Without `diversity`, the `n` least certain rows under the same cap.
    """
    if n < 1:
        raise InvalidInputError(f"n={n}; ask for at least one passage")
    margin = margins(np.asarray(proba))
    order = np.argsort(margin, kind="stable")
    candidates = order[:POOL_FACTOR * n] if diversity else order
    clusters = (_clusters(features[candidates], min(n, len(candidates)), random_state)
                if diversity else np.zeros(len(candidates), dtype=int))
    docs = np.asarray(documents if documents is not None else np.arange(len(margin)),
                      dtype=object)
    # each cluster's members, most uncertain first; clusters by their most uncertain
    queues = [list(candidates[clusters == c]) for c in pd.unique(clusters)]
    picked = _round_robin(queues, docs, n, per_document)
    rows = [row for row, _ in picked]
    return pd.DataFrame({"index": rows, "margin": margin[rows],
                         "cluster": [c for _, c in picked]})


def _round_robin(queues: list[list[int]], docs: np.ndarray, n: int,
                 per_document: int | None) -> list[tuple[int, int]]:
    """(row, cluster) picks: one from each cluster in turn, its most uncertain row whose
    document is under the cap, until `n` or the clusters run out."""
    picked: list[tuple[int, int]] = []
    taken: dict[object, int] = {}
    while len(picked) < n and any(queues):
        for c, members in enumerate(queues):
            while members and len(picked) < n:
                row = members.pop(0)
                if per_document is None or taken.get(docs[row], 0) < per_document:
                    taken[docs[row]] = taken.get(docs[row], 0) + 1
                    picked.append((row, c))
                    break
    return picked


def model_view(model: Any, texts: Sequence[str]) -> tuple[np.ndarray, Any]:
    """The model's calibrated probabilities (columns in `LABELS` order) and feature
    vectors of `texts`, from one pass of its preprocessing."""
    features = model.pipeline_.named_steps["features"]
    linear = model.pipeline_.named_steps["model"]
    vectors = features.transform(model.preprocess(list(texts)))
    scores = linear.decision_function(vectors)
    if scores.ndim == 1:
        scores = np.column_stack([np.zeros_like(scores), scores])
    scored = softmax(scores / model.temperature_, axis=1)
    proba = np.zeros((len(texts), len(LABELS)))
    proba[:, [LABELS.index(c) for c in model.classes_]] = scored
    return proba, vectors


def read_texts(path: Any) -> pd.DataFrame | list[str]:
    """Passages from a file: a table (.csv, .jsonl, .xlsx) or plain text, one a line."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file or folder; pass a results folder "
                                "from `framingclf score`, or a file of passages")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if suffix in (".jsonl", ".ndjson"):
        return pd.read_json(path, lines=True, dtype=False)
    if suffix == ".xlsx":
        return pd.read_excel(path, dtype=object)
    if suffix in (".txt", ".md", ""):
        return [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    raise InvalidInputError(f"{path}: cannot read passages from {suffix!r} files; pass a "
                            ".csv, .jsonl, .xlsx or .txt file, or a results folder")


def pool_passages(source: Any, *, text_col: str = "text", doc_col: str = "doc_id"
                  ) -> pd.DataFrame:
    """The uncoded passages to choose from: a `ScoreResult` or a results folder (its
    labelled passages), a table (a DataFrame, or a .csv, .jsonl or .xlsx file) with
    `text_col`, a .txt file (a passage a line), or a list of texts."""
    from pathlib import Path

    from framingclf.tables import ScoreResult, load_results

    if isinstance(source, (str, Path)):
        source = load_results(source) if Path(source).is_dir() else read_texts(source)
    if isinstance(source, ScoreResult):
        return source.labelled.reset_index(drop=True)
    if isinstance(source, pd.DataFrame):
        if text_col not in source.columns:
            raise InvalidInputError(f"passages: no {text_col!r} column; found "
                                    f"{list(source.columns)}; name it with --text-col")
        frame = source.rename(columns={text_col: "text", doc_col: "doc_id"})
        return frame[frame["text"].fillna("").astype(str).str.strip() != ""].reset_index(
            drop=True)
    from framingclf.validation import check_texts

    return pd.DataFrame({"text": [t for t in check_texts(source, "passages") if t.strip()]})


def queue(source: Any, model: Any = None, *, n: int = 50, per_document: int | None = 5,
          diversity: bool = True, exclude: Iterable[str] = (), random_state: int = 0,
          text_col: str = "text", doc_col: str = "doc_id") -> pd.DataFrame:
    """The `n` passages of `source` to code next (see the module docstring), as rows of
    a passages table with the model's label pre-filled (``label``, ``confidence``,
    ``p_<label>``, ``model``) plus ``margin``, ``cluster`` and ``rank``.

    `source`: see `pool_passages`. `exclude`: texts already coded (compared by
    `framingclf.corpus.passage_key`), left out of the pool. `model`: a fitted model, a
    model directory or None for the shipped one.
    """
    from framingclf.corpus import passage_key
    from framingclf.persistence import resolve_model
    from framingclf.scoring import label_columns

    model = resolve_model(model)
    pool = pool_passages(source, text_col=text_col, doc_col=doc_col)
    done = {passage_key(t) for t in exclude}
    if done:
        pool = pool[[passage_key(t) not in done for t in pool["text"]]].reset_index(drop=True)
    if pool.empty:
        raise InvalidInputError("no uncoded passages left to choose from")
    proba, vectors = model_view(model, pool["text"].tolist())
    documents = pool["doc_id"].tolist() if "doc_id" in pool.columns else None
    picks = select(proba, vectors, documents, n=n, per_document=per_document,
                   diversity=diversity, random_state=random_state)
    if len(picks) < n:
        import warnings

        warnings.warn(f"only {len(picks)} of the {n} passages asked for could be chosen: the "
                      f"pool has {len(pool)} uncoded passages and at most {per_document} may "
                      "come from one document (raise per_document, or score more documents)",
                      UserWarning, stacklevel=2)
    chosen = pool.iloc[picks["index"]].reset_index(drop=True)
    labels = label_columns(proba[picks["index"].to_numpy()], review_below=None)
    for column in ("label", "confidence", *(f"p_{label}" for label in LABELS)):
        chosen[column] = labels[column]
    return chosen.assign(model=model.fingerprint()[:12], margin=picks["margin"].to_numpy(),
                         cluster=picks["cluster"].to_numpy(), rank=np.arange(1, len(picks) + 1))


def stability(previous: Any, current: Any, pool: Sequence[str]) -> float:
    """Cohen's kappa between two models' labels on a fixed pool of uncoded passages
    (models, model directories, or arrays of labels already predicted)."""
    from framingclf.agreement import cohen_kappa

    def labels(model: Any) -> np.ndarray:
        if isinstance(model, (np.ndarray, list, pd.Series)):
            return np.asarray(model, dtype=object)
        from framingclf.persistence import resolve_model
        from framingclf.scoring import predict_proba

        proba = predict_proba(resolve_model(model), list(pool))
        return np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]

    return cohen_kappa(labels(previous), labels(current))


def should_stop(kappas: Sequence[float], threshold: float = 0.99, window: int = 3) -> bool:
    """True when the last `window` stabilities (`stability` of each round's model with
    the one before) all reach `threshold`."""
    recent = list(kappas)[-window:]
    return len(recent) == window and all(k >= threshold for k in recent)
