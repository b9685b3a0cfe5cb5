"""Explanations read straight from the linear model: which terms pushed a passage
toward its label and away from the runner-up, and which training passages resemble it.

For a fitted `FramingClassifier`, the decision value of class c is
``sum_f x_f * w_cf + b_c`` over the passage's TF-IDF features x and the logistic
regression's weights w and intercept b. An `Explanation` lists each feature's
contribution ``x_f * w_cf`` per class, so the contributions plus the intercept give the
decision values exactly; the contrast ``x_f * (w_label,f - w_runner_up,f)`` says how much
the feature separated the two most likely labels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import FeatureUnion

from framingclf.labels import COLORS


@dataclass
class Explanation:
    """Why a passage got its label: per-feature contributions from the linear model."""

    text: str
    label: str
    runner_up: str
    proba: dict[str, float]
    decision: dict[str, float]
    intercept: dict[str, float]
    terms: pd.DataFrame
    spans: list[tuple[str, int, int]] = field(repr=False, default_factory=list)

    def top(self, n: int = 10) -> pd.DataFrame:
        """The `n` features that most favoured the label over the runner-up, and the `n`
        that most favoured the runner-up."""
        ordered = self.terms.sort_values("contrast", ascending=False)
        toward = ordered[ordered["contrast"] > 0].head(n)
        against = ordered[ordered["contrast"] < 0].tail(n).iloc[::-1]
        return pd.concat([toward, against])

    def cues(self, n: int = 5) -> list[str]:
        """The word features that most favoured the label, as plain strings."""
        words = self.terms[(self.terms["kind"] == "words") & (self.terms["contrast"] > 0)]
        return words.sort_values("contrast", ascending=False)["feature"].head(n).tolist()

    def _repr_html_(self) -> str:
        words = self.terms[self.terms["kind"] == "words"]
        weights = _token_weights(self.spans, words.set_index("feature")["contrast"])
        scale = max((abs(w) for w in weights.values()), default=0.0) or 1.0
        parts, last = [], 0
        for k, (_, start, end) in enumerate(self.spans):
            parts.append(html.escape(self.text[last:start]))
            word = html.escape(self.text[start:end])
            weight = weights.get(k, 0.0)
            if weight:
                colour = COLORS[self.label] if weight > 0 else COLORS[self.runner_up]
                alpha = 0.15 + 0.6 * min(abs(weight) / scale, 1.0)
                parts.append(f'<mark title="{weight:+.3f}" style="background:{colour}'
                             f'{int(alpha * 255):02x};padding:0 1px">{word}</mark>')
            else:
                parts.append(word)
            last = end
        parts.append(html.escape(self.text[last:]))
        badge = (f'<span style="background:{COLORS[self.label]};color:white;padding:1px 6px;'
                 f'border-radius:3px">{self.label} {self.proba[self.label]:.2f}</span>')
        other = (f'<span style="background:{COLORS[self.runner_up]};color:white;padding:1px '
                 f'6px;border-radius:3px">{self.runner_up} {self.proba[self.runner_up]:.2f}'
                 "</span>")
        return (f"<div><p>{badge} over {other}</p><p style='line-height:1.7'>"
                f"{''.join(parts)}</p></div>")


def _token_weights(spans, contrast: pd.Series) -> dict[int, float]:
    """Spread each word n-gram's contrast over the tokens where it occurs."""
    norms = [norm for norm, _, _ in spans]
    weights: dict[int, float] = {}
    for feature, value in contrast.items():
        words = str(feature).split(" ")
        n = len(words)
        for i in range(len(norms) - n + 1):
            if norms[i:i + n] == words:
                for k in range(i, i + n):
                    weights[k] = weights.get(k, 0.0) + value / n
    return weights


def explain(model, text: str) -> Explanation:
    """Explain `model`'s label for one passage (see the module docstring)."""
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(model, "pipeline_")
    preprocess = model.pipeline_.named_steps["preprocess"]
    features = model.pipeline_.named_steps["features"]
    linear = model.pipeline_.named_steps["model"]
    cleaned, spans = preprocess.analyse(text)
    x = features.transform([" ".join(norm for norm, _, _ in spans)]).tocsr()
    names = features.get_feature_names_out()
    classes = list(model.classes_)
    coef, intercept = linear.coef_, linear.intercept_
    if len(classes) == 2:  # one score column: class 0 at 0, as decision_function has it
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]])
    idx, values = x.indices, x.data
    contributions = values[None, :] * coef[:, idx]  # classes x active features
    decision = contributions.sum(axis=1) + intercept
    proba = np.exp((decision - decision.max()) / model.temperature_)
    proba /= proba.sum()
    order = np.argsort(-decision)
    label, runner_up = classes[order[0]], classes[order[1]]
    terms = pd.DataFrame({"feature": names[idx], "value": values})
    for c, cls in enumerate(classes):
        terms[cls] = contributions[c]
    terms["contrast"] = terms[label] - terms[runner_up]
    terms = terms.sort_values("contrast", ascending=False, ignore_index=True)
    if isinstance(features, FeatureUnion):  # "words__poverty", "chars__ pov"
        split = [str(f).split("__", 1) for f in terms["feature"]]
        terms.insert(0, "kind", [kind for kind, _ in split])
        terms["feature"] = [name for _, name in split]
    else:
        terms.insert(0, "kind", "words")
    return Explanation(
        text=cleaned, label=label, runner_up=runner_up,
        proba={cls: float(p) for cls, p in zip(classes, proba)},
        decision={cls: float(d) for cls, d in zip(classes, decision)},
        intercept={cls: float(b) for cls, b in zip(classes, intercept)},
        terms=terms, spans=spans,
    )


def similar_passages(model, text: str, corpus: pd.DataFrame | str | Path | None = None,
                     n: int = 5) -> pd.DataFrame:
    """The `n` labelled passages most like `text` in the model's own feature space
    (cosine similarity of TF-IDF vectors): what the model learned from.

    `corpus` is a DataFrame with ``text`` and ``label`` or a corpus file; by default
    the corpus the shipped model was trained on.
    """
    from framingclf._resources import default_corpus_path
    from framingclf.corpus import read_corpus

    if corpus is None:
        corpus = default_corpus_path()
    frame = corpus if isinstance(corpus, pd.DataFrame) else read_corpus(corpus)
    vectors = _corpus_vectors(model, frame)
    query = model.pipeline_.named_steps["features"].transform(model.preprocess([text]))
    scores = np.asarray((vectors @ query.T).todense()).ravel()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    qnorm = np.sqrt(query.multiply(query).sum()) or 1.0
    similarity = scores / np.where(norms == 0, 1.0, norms) / qnorm
    top = np.argsort(-similarity)[:n]
    columns = [c for c in ("id", "text", "label", "doc_type") if c in frame.columns]
    out = frame.iloc[top][columns].copy()
    out.insert(0, "similarity", similarity[top])
    return out.reset_index(drop=True)


_VECTOR_CACHE: dict[tuple[str, int], object] = {}


def _corpus_vectors(model, frame: pd.DataFrame):
    """The corpus' feature vectors, cached for the last model and corpus seen."""
    key = (model.fingerprint(), hash(tuple(frame["text"])))
    if key not in _VECTOR_CACHE:
        _VECTOR_CACHE.clear()
        tokens = model.preprocess(frame["text"].tolist())
        _VECTOR_CACHE[key] = model.pipeline_.named_steps["features"].transform(tokens).tocsr()
    return _VECTOR_CACHE[key]


def explain_many(model, texts: Sequence[str], n: int = 5) -> list[list[str]]:
    """The top `n` cue features of each passage (used by ``score_texts(explain=True)``)."""
    return [explain(model, text).cues(n) if text.strip() else [] for text in texts]
