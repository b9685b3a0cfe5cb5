"""`audit`: the seven checks over every document of a scoring result.

For each document: the passage model gives each passage a probability per tag; the tags
the rules read are those at probability 0.5 or more, some held to their patterns (a
`deficit` passage must hold a deficit label from the lexicon, a figure passage a number
that does not move against its tag, a `scale` one a count of people, and a `measure`
counts the measures it names), and a `context` passage links its driver to health when
it names a health outcome or condition
(`PATTERN_TAGS`). The codebook's rules turn the tags into each check's verdict
(`framingclf.auditing.checks`), and `framingclf.auditing.evidence` writes what decided it.

Confidence is the share of random draws of the passage tags, each passage's tag drawn
with its probability, under which the rules give the same verdict: near 1 when no
plausible error in the passages would change the answer, lower when one passage more
or less would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framingclf.auditing.checks import CHECKS, VERDICTS
from framingclf.auditing.evidence import DocumentTags, evidence
from framingclf.auditing.patterns import AuditPatterns, default_patterns, has_figure, heading_of
from framingclf.auditing.trends import BETTER, WORSE, figure_trends
from framingclf.errors import InvalidInputError

#: The columns of the audit table.
COLUMNS: tuple[str, ...] = ("document", "doc_id", "check", "verdict", "confidence",
                                  "evidence", "passage_ids")
#: Passage kinds the checks read as passages (headings are read as their sections').
_NOT_PASSAGES = ("heading", "title")
DRAWS = 500


def audit(result: Any, model: Any = None, *, threshold: float = 0.5, draws: int = DRAWS,
          seed: int = 0, patterns: AuditPatterns | None = None) -> pd.DataFrame:
    """Audit every document of `result`: one row per document and check.

    `result`: a `ScoreResult`, a results folder written by `framingclf score`, or a
    passages table. `model`: the passage model (a fitted `PassageTagger`, a model
    directory, or None for the shipped one). A tag is decided at probability
    `threshold`; `draws` random draws of the tags (seeded by `seed`) give each
    verdict's confidence. `patterns`: `AuditPatterns` with your own lists.

    Columns: ``document`` (the file name), ``doc_id``, ``check``, ``verdict`` (yes,
    partly or no), ``confidence``, ``evidence`` (the passages and sentences that
    decided it; for ``no``, what was looked for) and ``passage_ids`` (the passages the
    evidence cites).
    """
    from framingclf.auditing.model import resolve_tagger

    passages = _passages(result)
    tagger = resolve_tagger(model)
    if not 0 < threshold < 1:
        raise InvalidInputError(f"threshold={threshold!r}; expected a probability between "
                                "0 and 1")
    if not isinstance(draws, int) or draws < 1:
        raise InvalidInputError(f"draws={draws!r}; expected a whole number >= 1")
    patterns = patterns or default_patterns()
    rows = []
    for doc_id, group in passages.groupby("doc_id", sort=False):
        doc = document_tags(group, tagger, patterns, threshold)
        name = _file_name(group)
        for check, (verdict, confidence) in judge(doc, draws, seed).items():
            text, ids = evidence(doc, check, verdict)
            rows.append({"document": name, "doc_id": doc_id, "check": check,
                         "verdict": VERDICTS[verdict], "confidence": round(confidence, 3),
                         "evidence": text, "passage_ids": ids})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_audit(table: pd.DataFrame, path: str | Path) -> Path:
    """Write an audit table as CSV (``passage_ids`` as a JSON list), atomically."""
    import io
    import json

    from framingclf._files import write_atomic

    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InvalidInputError(f"{path}: the audit is written as CSV; name the file .csv")
    if not path.parent.is_dir():
        raise InvalidInputError(f"{path.parent}: no such folder; create it first")
    text = io.StringIO()
    table.assign(passage_ids=table["passage_ids"].map(json.dumps)).to_csv(text, index=False)
    write_atomic(path, text.getvalue().encode("utf-8"))
    return path


def _passages(result: Any) -> pd.DataFrame:
    from framingclf.tables import ScoreResult, load_results

    if isinstance(result, (str, Path)):
        result = load_results(result)
    passages = result.passages if isinstance(result, ScoreResult) else result
    if not isinstance(passages, pd.DataFrame):
        raise InvalidInputError(f"result: expected a ScoreResult, a results folder or a "
                                f"passages DataFrame, got {type(result).__name__}")
    missing = [c for c in ("doc_id", "text") if c not in passages.columns]
    if missing:
        raise InvalidInputError(f"passages table: columns {missing} missing; found "
                                f"{list(passages.columns)}; pass the passages of a "
                                "framingclf scoring run")
    kinds = passages["kind"] if "kind" in passages.columns else pd.Series(
        "prose", index=passages.index)
    return passages[~kinds.isin(_NOT_PASSAGES)]


def _file_name(group: pd.DataFrame) -> str:
    path = group["path"].iloc[0] if "path" in group.columns else None
    return Path(str(path)).name if isinstance(path, str) and path else str(group["doc_id"].iloc[0])


def document_tags(group: pd.DataFrame, tagger, patterns: AuditPatterns,
                  threshold: float = 0.5) -> DocumentTags:
    """One document's passages, tag probabilities and decided tags."""
    passages = pd.DataFrame({
        "passage_id": group["passage_id"].astype(str) if "passage_id" in group.columns
        else [f"{i}" for i in range(len(group))],
        "page_start": group["page_start"] if "page_start" in group.columns else None,
        "heading": (group["section"] if "section" in group.columns
                    else pd.Series("", index=group.index)).map(heading_of),
        "text": group["text"].fillna("").astype(str),
    }).reset_index(drop=True)
    texts = passages["text"].tolist()
    proba = tagger.predict_proba(passages)
    measures = [patterns.measures(text) for text in texts]
    deficit = [patterns.deficit(text) for text in texts]
    figure = np.array([has_figure(text, patterns) for text in texts], dtype=bool)
    read = [{kind for kind, _ in figure_trends(patterns, text)} for text in texts]
    held = {"deficit": np.array([bool(hits) for hits in deficit], dtype=bool),
            **{kind: figure & np.array([not r or kind in r for r in read])
               for kind in (WORSE, BETTER)},
            "scale": np.array([bool(patterns.find("scale", t)) for t in texts], dtype=bool),
            "context_linked": np.array([bool(patterns.health_link(t)) for t in texts],
                                       dtype=bool)}
    decided = {tag: proba[:, k] >= threshold for k, tag in enumerate(tagger.tags_)}
    names = list(dict.fromkeys(hit.cue for hits in measures for hit in hits))
    return DocumentTags(passages=passages, proba=proba, tagger=tagger, patterns=patterns,
                        decided=gated(decided, held), held=held, measures=measures,
                        measure_names=names, deficit=deficit)


#: Tags the patterns decide or hold back: a `deficit` passage needs a deficit label; a
#: `worsening` or `improving` one needs a figure (a number that is not a year) and, where
#: the patterns can tell which way its figures move (`framingclf.auditing.trends`), one
#: moving its way; a `scale` one needs a count of people or a share of the population; a
#: passage links its driver to health (``context_linked``) when it names a health
#: outcome or a condition. (Requiring claims and figures to name an inequality, as the
#: first revision did, cost recall and bought no precision in cross-validation over the
#: train documents once they were four batches.)
PATTERN_TAGS: tuple[str, ...] = ("deficit", "worsening", "improving", "scale",
                                 "context_linked")


def gated(tags: dict[str, np.ndarray], held: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The model's tags (arrays ending in the passage axis) held to their patterns."""
    out = dict(tags)
    for tag, allowed in held.items():
        shape = tags[next(iter(tags))].shape
        out[tag] = (tags[tag] & allowed) if tag in tags else np.broadcast_to(allowed, shape)
    return out


def judge(doc: DocumentTags, draws: int, seed: int) -> dict[str, tuple[int, float]]:
    """Each check's verdict (a code into `VERDICTS`) and its confidence."""
    tags = doc.tagger.tags_
    matrix = _measure_matrix(doc)
    point = {tag: values[None, :] for tag, values in doc.decided.items()}
    rng = np.random.default_rng(seed)
    sampled = rng.random((draws, *doc.proba.shape)) < doc.proba[None, :, :]
    drawn = gated({tag: sampled[:, :, k] for k, tag in enumerate(tags)}, doc.held)
    out = {}
    for name, check in CHECKS.items():
        verdict = int(check.rule(point, matrix)[0])
        confidence = float(np.mean(check.rule(drawn, matrix) == verdict))
        out[name] = (verdict, confidence)
    return out


def _measure_matrix(doc: DocumentTags) -> np.ndarray:
    """(passages, measure names): True where a passage names the measure."""
    return np.array([[doc.uses(i, name) for name in doc.measure_names]
                     for i in range(len(doc.passages))], dtype=bool).reshape(
        len(doc.passages), len(doc.measure_names))
