"""Explanations read straight from the linear model, in the passage's own words.

For a fitted `FramingClassifier`, the decision value of class c is
``sum_f x_f * w_cf + b_c`` over the passage's TF-IDF features x and the logistic
regression's weights w and intercept b. `explain` lists each feature's contribution
``x_f * w_cf`` per class (``terms``), so the contributions plus the intercept give the
decision values exactly; the contrast ``x_f * (w_label,f - w_runner_up,f)`` says how
much the feature separated the two most likely labels.

Features are built from normalised tokens (lemmas, number placeholders, merged terms),
which are not what the passage says. So each feature's contrast is mapped back onto the
words of the passage (``words``): a word n-gram's onto the words it spans (its
content words, when it has any), a character n-gram's onto the words that contain it,
in proportion to how often. Cues are those words in their surface forms ("worse", where
the lemma is "bad"), never a stop word (spaCy's English list) and never a bare number.
"""

from __future__ import annotations

import html
import weakref
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import FeatureUnion

from framingclf.labels import COLORS


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, with curly apostrophes as straight ones too."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset({*STOP_WORDS, *(w.replace("\u2019", "'") for w in STOP_WORDS)})


def is_cue_word(word: str) -> bool:
    """Whether a surface word can be a cue: it has a letter and is not a stop word."""
    lowered = word.lower().replace("\u2019", "'").replace("\u2018", "'")
    return any(ch.isalpha() for ch in lowered) and lowered not in stop_words()


@dataclass
class Explanation:
    """Why a passage got its label: per-feature contributions from the linear model
    (``terms``) and the same contrast on the passage's words (``words``)."""

    text: str
    label: str
    runner_up: str
    proba: dict[str, float]
    decision: dict[str, float]
    intercept: dict[str, float]
    terms: pd.DataFrame
    words: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def top(self, n: int = 10) -> pd.DataFrame:
        """The `n` features that most favoured the label over the runner-up, and the `n`
        that most favoured the runner-up."""
        ordered = self.terms.sort_values("contrast", ascending=False)
        toward = ordered[ordered["contrast"] > 0].head(n)
        against = ordered[ordered["contrast"] < 0].tail(n).iloc[::-1]
        return pd.concat([toward, against])

    def word_weights(self) -> pd.DataFrame:
        """The passage's cue words, one row per surface form (case aside): its form as
        first written, how often it occurs, and its summed contrast, strongest first."""
        words = self.words[self.words["cue"]] if len(self.words) else self.words
        if not len(words):
            return pd.DataFrame(columns=["word", "count", "contrast"])
        key = words["word"].str.lower()
        table = words.groupby(key, sort=False).agg(
            word=("word", "first"), count=("word", "size"), contrast=("contrast", "sum"))
        return table.sort_values("contrast", ascending=False, kind="stable").reset_index(
            drop=True)

    def cues(self, n: int = 5, *, toward: bool = True) -> list[str]:
        """The words of the passage that most favoured the label over the runner-up
        (``toward=False``: the runner-up over the label), in the passage's own forms."""
        table = self.word_weights()
        if toward:
            return table[table["contrast"] > 0]["word"].head(n).tolist()
        return table[table["contrast"] < 0]["word"].iloc[::-1].head(n).tolist()

    def _repr_html_(self) -> str:
        return explanation_html(self)


def explanation_html(explanation: Explanation) -> str:
    """The passage with its cue words highlighted: in the label's colour where they
    pushed toward it, in the runner-up's where they pushed away; strength as opacity,
    the numbers on hover."""
    e = explanation
    words = e.words[e.words["cue"]] if len(e.words) else e.words
    scale = float(words["contrast"].abs().max()) if len(words) else 0.0
    parts, last = [], 0
    for row in words.itertuples(index=False):
        if row.start < last or not row.contrast or not scale:
            continue
        colour = COLORS[e.label] if row.contrast > 0 else COLORS[e.runner_up]
        alpha = 0.15 + 0.6 * min(abs(row.contrast) / scale, 1.0)
        parts.append(html.escape(e.text[last:row.start]))
        parts.append(f'<mark title="{row.contrast:+.3f} ({html.escape(row.features)})" '
                     f'style="background:{colour}{int(alpha * 255):02x};padding:0 1px">'
                     f"{html.escape(e.text[row.start:row.end])}</mark>")
        last = row.end
    parts.append(html.escape(e.text[last:]))

    def badge(label: str) -> str:
        return (f'<span style="background:{COLORS[label]};color:white;padding:1px 6px;'
                f'border-radius:3px">{label} {e.proba[label]:.2f}</span>')

    toward, against = e.cues(5), e.cues(5, toward=False)
    listing = (f"<p style='font-size:90%'>toward {e.label}: {html.escape(', '.join(toward))}"
               f"<br>toward {e.runner_up}: {html.escape(', '.join(against)) or '–'}</p>")
    return (f"<div><p>{badge(e.label)} over {badge(e.runner_up)}</p><p style='line-height:"
            f"1.7'>{''.join(parts)}</p>{listing if toward or against else ''}</div>")


def _original_offsets(text: str, cleaned: str) -> np.ndarray | None:
    """For each character of `cleaned` (the preprocessor's `clean_text` of `text`), its
    index in `text`; None when the cleaning cannot be followed character by character."""
    from framingclf.spacy_pipeline import clean_text

    index: list[int] = []
    for i, ch in enumerate(text):
        index.extend([i] * len(clean_text(ch)))
    if len(index) != len(cleaned):
        return None
    rebuilt = "".join(clean_text(ch) for ch in text)
    return np.asarray(index, dtype=int) if rebuilt == cleaned else None


def _word_ngram_parts(norms: list[str], surface: list[str], values: dict[str, float]
                     ) -> list[tuple[int, float, str]]:
    """(token, part of the contrast, feature) for the word n-grams among `values`: each
    n-gram's contrast split equally over its occurrences, and within one over its
    content words (over all its words when it has none)."""
    places: dict[str, list[list[int]]] = defaultdict(list)
    for n in sorted({len(feature.split(" ")) for feature in values}):
        for i in range(len(norms) - n + 1):
            gram = " ".join(norms[i:i + n])
            if gram in values:
                places[gram].append(list(range(i, i + n)))
    parts = []
    for gram, spans in places.items():
        for span in spans:
            content = [k for k in span if is_cue_word(surface[k])] or span
            for k in content:
                parts.append((k, values[gram] / (len(spans) * len(content)), gram))
    return parts


def _char_ngram_parts(norms: list[str], values: dict[str, float],
                      char_range: tuple[int, int]) -> list[tuple[int, float, str]]:
    """(token, part of the contrast, feature) for the character n-grams among `values`:
    each n-gram's contrast split over the tokens holding it, by how often they do."""
    from framingclf.features import token_ngrams

    per_token = [Counter(g for g in token_ngrams(norm, *char_range) if g in values)
                 for norm in norms]
    totals: Counter[str] = Counter()
    for grams in per_token:
        totals.update(grams)
    return [(k, values[g] * count / totals[g], g)
            for k, grams in enumerate(per_token) for g, count in grams.items()]


def word_contrasts(text: str, spans: list[tuple[str, int, int]], terms: pd.DataFrame,
                   char_range: tuple[int, int] | None) -> pd.DataFrame:
    """Each token of the passage with its surface form, offsets into `text`, and the
    share of every feature's contrast it carries (see the module docstring)."""
    norms = [norm for norm, _, _ in spans]
    surface = [text[start:end] for _, start, end in spans]
    values: dict[str, dict[str, float]] = {"words": {}, "chars": {}}
    for kind, feature, value in zip(terms["kind"], terms["feature"], terms["contrast"]):
        values[kind][feature] = float(value)
    parts = [(k, part, f"words: {f!r}")
             for k, part, f in _word_ngram_parts(norms, surface, values["words"])]
    if char_range and values["chars"]:
        parts += [(k, part, f"chars: {f!r}")
                  for k, part, f in _char_ngram_parts(norms, values["chars"], char_range)]
    contrast = np.zeros(len(spans))
    sources: list[list[tuple[float, str]]] = [[] for _ in spans]
    for k, part, name in parts:
        contrast[k] += part
        sources[k].append((part, name))
    described = [", ".join(f"{name} {part:+.3f}" for part, name in
                           sorted(s, key=lambda item: -abs(item[0]))[:3]) for s in sources]
    return pd.DataFrame({
        "word": surface, "start": [s for _, s, _ in spans], "end": [e for _, _, e in spans],
        "norm": norms, "cue": [is_cue_word(w) and not n.startswith("__")
                               for w, n in zip(surface, norms)],
        "contrast": contrast, "features": described})


_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _feature_names(features) -> np.ndarray:
    """The fitted features' names, built once per fitted object (it takes a while)."""
    names = _NAMES.get(features)
    if names is None:
        names = _NAMES[features] = features.get_feature_names_out()
    return names


def _linear_parts(model) -> tuple:
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(model, "pipeline_")
    steps = model.pipeline_.named_steps
    features, linear = steps["features"], steps["model"]
    coef, intercept = linear.coef_, linear.intercept_
    if len(model.classes_) == 2:  # one score column: class 0 at 0, as decision_function has it
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]])
    char_range = None
    if isinstance(features, FeatureUnion):
        chars = dict(features.transformer_list).get("chars")
        char_range = tuple(chars.ngram_range) if chars is not None else None
    return steps["preprocess"], features, coef, intercept, char_range


def explain(model, text: str) -> Explanation:
    """Explain `model`'s label for one passage (see the module docstring)."""
    preprocess, features, coef, intercept, char_range = _linear_parts(model)
    cleaned, spans = preprocess.analyse(text)
    offsets = _original_offsets(text, cleaned)
    if offsets is not None and spans:  # point the spans at the passage as given
        spans = [(norm, int(offsets[start]), int(offsets[end - 1]) + 1)
                 for norm, start, end in spans]
        cleaned = text
    x = features.transform([[norm for norm, _, _ in spans]]).tocsr()
    names = _feature_names(features)
    classes = list(model.classes_)
    idx, values = x.indices, x.data
    contributions = values[None, :] * coef[:, idx]  # classes x active features
    decision = contributions.sum(axis=1) + intercept
    proba = np.exp((decision - decision.max()) / model.temperature_)
    proba /= proba.sum()
    order = np.argsort(-decision, kind="stable")
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
        terms=terms, words=word_contrasts(cleaned, spans, terms, char_range),
    )


def explain_many(model, texts: Sequence[str], n: int = 5) -> list[list[str]]:
    """The top `n` cue words of each passage, in its own forms (the ``cues`` column of
    ``score_texts(explain=True)`` and of reports)."""
    return [explain(model, text).cues(n) if text.strip() else [] for text in texts]


def add_cues(passages: pd.DataFrame, model=None, n: int = 5, *,
             where: pd.Series | None = None) -> pd.DataFrame:
    """`passages` with a ``cues`` column: the top `n` cue words of each labelled passage
    (or of those `where` marks, e.g. ``passages["review"]``), which reports highlight.
    `model`: a fitted model, a model directory, or None for the shipped model; it should
    be the model that scored the passages. About 10-20 ms a passage."""
    from framingclf.persistence import resolve_model
    from framingclf.tables import LABELLED_KINDS

    model = resolve_model(model)
    chosen = passages["label"].notna()
    if "kind" in passages.columns:
        chosen &= passages["kind"].isin(LABELLED_KINDS)
    if where is not None:
        chosen &= where.reindex(passages.index, fill_value=False).astype(bool)
    out = passages.copy()
    cues = out["cues"].tolist() if "cues" in out.columns else [[] for _ in range(len(out))]
    for position in np.flatnonzero(chosen.to_numpy()):
        cues[position] = explain_many(model, [str(out["text"].iloc[position])], n)[0]
    out["cues"] = cues
    return out


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
