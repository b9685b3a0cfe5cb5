"""Do sentence embeddings earn their cost? The TF-IDF model against an embedding model and
the average of the two, on text the models have not seen (issue 15, item 5).

Candidates, all measured on the same folds of the training corpus:

- (a) ``tfidf``: the default `FramingClassifier()`;
- (b) ``embedding``: `EmbeddingClassifier` (logistic regression on all-MiniLM-L6-v2
  vectors, PyTorch), its C chosen from a small grid by the mean of grouped-CV and
  leave-one-register-out macro-F1, as `select_model.py` chooses;
  (a) and (b) each have their temperature fitted on folds that hold out whole registers
  (``calibration_groups``), as `framingclf train` fits the shipped model;
- (c) ``ensemble``: `EnsembleClassifier` of (a) and (b), equal weights;
- (b') ``embedding-int8`` and (c') ``ensemble-int8``: (b) and (c) with the int8 ONNX
  export of the same weights (no PyTorch) in place of the float ones, measured on the
  real sets and for speed only. The logistic regression is (b)'s, fitted on float
  vectors: embedding the corpus again on this shared 2-core machine costs most of an
  hour, and the two encodings' vectors agree to a cosine of 0.999 (reported).

An ensemble's out-of-fold probabilities are the mean of its members' (it fits clones of
them on the same passages; tests/test_embeddings.py checks that identity), so they are
computed from the members' rather than by fitting (a) twice.

Measures: grouped CV (5 folds, StratifiedGroupKFold by doc_id, seed 0) and
leave-one-register-out (LORO) macro-F1 and ECE, each with a 95% bootstrap interval of
the difference to (a) that resamples whole documents; then, fitted on the whole corpus,
macro-F1 on ../shared/eval/real-dev.jsonl and accuracy and Cohen's κ on
../shared/eval/realdocs-dev, with paired bootstrap intervals of the difference to (a)
(resampling passages). The real sets are a final check, never used to choose. Speed:
passages per second of `predict_proba` as a ratio to (a), in this process.

Decision rule (issue 15): ship a second named model only if it beats (a) on grouped CV,
LORO and real-dev with an interval of the difference that excludes 0.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 nice -n 10 \
        python benchmarks/embeddings.py --corpus /tmp/corpus-for-embed.jsonl --speed-n 200

(one BLAS and one PyTorch thread: on a shared 2-core machine their spinning threads made
a logistic regression 30x slower; speed ratios are then single-thread ratios). For the
TF-IDF folds, `--only tfidf --part k/3` in three processes, beside the run, fills the
same cache.

Embeddings are cached under --cache (default /tmp/framingclf-embed-cache). Writes
benchmarks/results/embeddings.json (scores only, no text).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold

from framingclf import FramingClassifier
from framingclf.corpus import corpus_sha256, read_corpus, register_of
from framingclf.embeddings import WEIGHTS, EmbeddingClassifier, SentenceEmbedder
from framingclf.ensemble import EnsembleClassifier
from framingclf.evaluate import expected_calibration_error, out_of_fold_proba
from framingclf.labels import LABELS
from framingclf.scoring import predict_proba

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from select_model import SHARED, real_sets  # noqa: E402  (the real sets, read one way)

OUT = ROOT / "benchmarks" / "results" / "embeddings.json"
C_GRID = (1.0, 10.0)
INT8 = "all-MiniLM-L6-v2-int8"


# -- metrics --------------------------------------------------------------------------------
def predicted(proba: np.ndarray) -> np.ndarray:
    return np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]


def macro_f1(y, proba) -> float:
    present = [label for label in LABELS if label in set(y)]
    return float(f1_score(y, predicted(proba), labels=present, average="macro",
                          zero_division=0))


def accuracy(y, proba) -> float:
    return float(np.mean(predicted(proba) == y))


def kappa(y, proba) -> float:
    return float(cohen_kappa_score(y, predicted(proba), labels=list(LABELS)))


def paired_interval(metric, y, proba, base, units, n_boot: int, seed: int = 0) -> list[float]:
    """95% percentile interval of metric(proba) - metric(base), resampling whole `units`
    (documents, or passages when each is its own unit)."""
    rng = np.random.default_rng(seed)
    names, index = np.unique(units, return_inverse=True)
    members = [np.flatnonzero(index == k) for k in range(len(names))]
    diffs = []
    for _ in range(n_boot):
        rows = np.concatenate([members[k] for k in rng.integers(0, len(names), len(names))])
        diffs.append(metric(y[rows], proba[rows]) - metric(y[rows], base[rows]))
    low, high = np.percentile(diffs, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def compare(metric, y, proba, base, units, n_boot) -> dict:
    value, reference = metric(y, proba), metric(y, base)
    return {"value": round(value, 4), "diff": round(value - reference, 4),
            "ci95": paired_interval(metric, y, proba, base, units, n_boot)}


# -- data -----------------------------------------------------------------------------------
def splits_of(labels, groups, registers) -> dict[str, list]:
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    return {"grouped_cv": list(cv.split(labels, labels, groups)),
            "loro": [(np.flatnonzero(registers != r), np.flatnonzero(registers == r))
                     for r in sorted(set(registers))]}


# -- the candidates -------------------------------------------------------------------------
def cross_validate(name, estimator, texts, labels, groups, splits, cache: Path,
                   part: tuple[int, int] = (0, 1),
                   calibration_groups=None) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of grouped CV and LORO. Each fold's are kept in `cache`
    under the hash of the passages, labels, folds, estimator and calibration groups, so
    that a rerun reuses them and several processes can share the folds: with `part`
    (k, n), this process fits only the folds whose number is k modulo n, then returns
    nothing. `calibration_groups` (registers) go to each fold's `fit`."""
    calibration = None if calibration_groups is None else list(calibration_groups)
    key = hashlib.sha256(repr((texts, list(labels), [(a.tolist(), b.tolist()) for how in splits
                                                     for a, b in splits[how]],
                               repr(clone(estimator).set_params(**_no_cache(estimator))),
                               calibration)).encode())
    folder = cache / "oof" / f"{name}-{key.hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    out = {how: np.zeros((len(texts), len(LABELS))) for how in splits}
    jobs = [(how, i, fold) for how in splits for i, fold in enumerate(splits[how])]
    for number, (how, i, (train, test)) in enumerate(jobs):
        path = folder / f"{how}-{i}.npy"
        if not path.is_file():
            if number % part[1] != part[0]:
                continue
            proba = out_of_fold_proba(estimator, texts, labels, groups, [(train, test)],
                                      calibration_groups=calibration_groups)
            np.save(path, proba[test])
        out[how][test] = np.load(path)
    if part != (0, 1):
        return {}
    print(f"  {name:<24} cv {macro_f1(labels, out['grouped_cv']):.4f}  loro "
          f"{macro_f1(labels, out['loro']):.4f}  ({time.perf_counter() - started:.0f}s)",
          flush=True)
    return out


def _no_cache(estimator) -> dict:
    return {"cache_dir": None} if "cache_dir" in estimator.get_params() else {}


def choose_c(oof: dict, labels) -> float:
    """The embedding model's C by the mean of grouped-CV and LORO macro-F1."""
    def selection(c):
        return np.mean([macro_f1(labels, oof[f"embedding-C{c:g}"][how])
                        for how in ("grouped_cv", "loro")])
    return max(C_GRID, key=selection)


def corpus_rows(oof, labels, groups, registers, n_boot) -> dict:
    rows = {}
    for name, out in oof.items():
        row = {}
        for how, proba in out.items():
            base = oof["tfidf"][how]
            row[how] = {**compare(macro_f1, labels, proba, base, groups, n_boot),
                        "ece": round(expected_calibration_error(
                            proba, predicted(proba) == labels), 4)}
        row["loro"]["by_register"] = {
            r: round(macro_f1(labels[registers == r], out["loro"][registers == r]), 4)
            for r in sorted(set(registers))}
        rows[name] = row
    return rows


def real_rows(final: dict, sets: dict, n_boot: int) -> dict:
    rows: dict = {name: {} for name in final}
    for set_name, (texts, y) in sets.items():
        probas = {name: predict_proba(model, texts) for name, model in final.items()}
        probas["ensemble"] = (probas["tfidf"] + probas["embedding"]) / 2
        if "embedding-int8" in probas:
            probas["ensemble-int8"] = (probas["tfidf"] + probas["embedding-int8"]) / 2
        units = np.arange(len(y))
        metrics = ({"macro_f1": macro_f1} if set_name == "real-dev"
                   else {"accuracy": accuracy, "kappa": kappa, "macro_f1": macro_f1})
        for name, proba in probas.items():
            entry = {m: compare(f, y, proba, probas["tfidf"], units, n_boot)
                     for m, f in metrics.items()}
            entry["ece"] = round(expected_calibration_error(proba, predicted(proba) == y), 4)
            rows.setdefault(name, {})[set_name] = entry
    return rows


def with_encoder(model: EmbeddingClassifier, name: str) -> EmbeddingClassifier:
    """A copy of a fitted `EmbeddingClassifier` that embeds with the weights `name`."""
    other = copy.deepcopy(model)
    other.embedder_ = SentenceEmbedder(name, batch_size=model.batch_size).fit()
    return other


def vector_agreement(final: dict, sets: dict) -> dict:
    """Cosine between the float and int8 vectors of the real passages."""
    texts = [t for texts, _ in sets.values() for t in texts]
    a = final["embedding"].embedder_.transform(texts)
    b = final["embedding-int8"].embedder_.transform(texts)
    cosine = np.sum(a * b, axis=1)
    return {"passages": len(texts), "cosine_mean": round(float(cosine.mean()), 5),
            "cosine_min": round(float(cosine.min()), 5)}


def without_cache(model):
    for member in getattr(model, "estimators_", [("", model)]):
        embedder = getattr(member[1], "embedder_", None)
        if embedder is not None:
            embedder.cache_dir = None
    return model


def speed(models: dict, texts: list[str], repeats: int = 2) -> dict:
    """Passages per second of predict_proba (no embedding cache) and the time as a ratio
    to (a)'s; the models take turns in each repeat, and each keeps its best time."""
    for model in models.values():
        without_cache(model).predict_proba(texts[:32])  # warm up: load weights
    best = {name: _timed(model, texts) for name, model in models.items()}
    for _ in range(repeats - 1):
        for name, model in models.items():
            best[name] = min(best[name], _timed(model, texts))
    if "embedding-int8" in best:  # the int8 ensemble is its two members, one after the other
        best["ensemble-int8 (members' times added)"] = best["tfidf"] + best["embedding-int8"]
    return {name: {"passages_per_s": round(len(texts) / seconds, 1),
                   "time_ratio_to_tfidf": round(seconds / best["tfidf"], 2)}
            for name, seconds in best.items()}


def _timed(model, texts) -> float:
    started = time.perf_counter()
    model.predict_proba(texts)
    return time.perf_counter() - started


def decision(corpus: dict, real: dict) -> dict:
    """Issue 15's rule, for each candidate: better than (a) on grouped CV, LORO and
    real-dev, each interval of the difference above 0."""
    out = {}
    for name in corpus:
        if name == "tfidf":
            continue
        checks = {how: corpus[name][how]["ci95"][0] > 0 for how in ("grouped_cv", "loro")}
        dev = real.get(name, {}).get("real-dev")
        checks["real_dev"] = bool(dev) and dev["macro_f1"]["ci95"][0] > 0
        out[name] = {"beats_default": checks, "ship": all(checks.values())}
    return out


# -- main -----------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT / "corpora" / "framing-corpus.jsonl"))
    parser.add_argument("--cache", default="/tmp/framingclf-embed-cache")
    parser.add_argument("--boot", type=int, default=2000)
    parser.add_argument("--speed-n", type=int, default=1000)
    parser.add_argument("--no-int8", action="store_true", help="skip the ONNX int8 model")
    parser.add_argument("--speed-repeats", type=int, default=2)
    parser.add_argument("--only", choices=("tfidf", "embeddings"),
                        help="only cross-validate these into the cache, then stop (run the "
                             "two in parallel, then the whole)")
    parser.add_argument("--part", default="0/1", help="with --only tfidf: k/n, the folds "
                        "this process fits (those numbered k modulo n)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()

    corpus = read_corpus(args.corpus)
    texts = corpus["text"].tolist()
    labels = corpus["label"].to_numpy(dtype=object)
    groups = corpus["doc_id"].astype(str).to_numpy()
    registers = np.array([register_of(t) for t in corpus["doc_type"]], dtype=object)
    splits = splits_of(labels, groups, registers)
    print(f"{len(texts)} passages, {len(set(groups))} documents, "
          f"{len(set(registers))} registers", flush=True)

    def embedding(c, model="all-MiniLM-L6-v2"):
        return EmbeddingClassifier(model, C=c, cache_dir=args.cache)

    cache = Path(args.cache)
    if args.only == "tfidf":  # e.g. in other processes while the embeddings are computed
        part = tuple(int(v) for v in args.part.split("/"))
        cross_validate("tfidf", FramingClassifier(), texts, labels, groups, splits, cache,
                       (part[0], part[1]), calibration_groups=registers)
        return 0
    oof = {}
    for c in C_GRID:
        oof[f"embedding-C{c:g}"] = cross_validate(f"embedding-C{c:g}", embedding(c), texts,
                                                  labels, groups, splits, cache,
                                                  calibration_groups=registers)
    best_c = choose_c(oof, labels)
    oof["embedding"] = oof[f"embedding-C{best_c:g}"]
    candidates = {"tfidf": FramingClassifier(), "embedding": embedding(best_c)}
    if args.only == "embeddings":
        return 0
    oof["tfidf"] = cross_validate("tfidf", FramingClassifier(), texts, labels, groups, splits,
                                  cache, calibration_groups=registers)
    oof["ensemble"] = {how: (oof["tfidf"][how] + oof["embedding"][how]) / 2 for how in splits}
    corpus_table = corpus_rows(oof, labels, groups, registers, args.boot)

    print("fitting on the whole corpus", flush=True)
    final = {"ensemble": EnsembleClassifier(list(candidates.items())[:2]).fit(
        texts, labels, groups=groups, calibration_groups=registers)}
    final["tfidf"], final["embedding"] = (m for _, m in final["ensemble"].estimators_)
    if not args.no_int8:
        final["embedding-int8"] = with_encoder(final["embedding"], INT8)
    members = {k: v for k, v in final.items() if k != "ensemble"}
    sets = real_sets()
    if not sets:
        print(f"real text not found at {SHARED}: the final check is skipped", flush=True)
    real_table = real_rows(members, sets, args.boot)
    if "embedding-int8" in final and sets:
        real_table["int8_vectors"] = vector_agreement(final, sets)

    sample = [texts[i] for i in np.random.default_rng(0).permutation(len(texts))[:args.speed_n]]
    results = {
        "corpus": {"path": Path(args.corpus).name, "sha256": corpus_sha256(args.corpus),
                   "n": len(texts), "documents": len(set(groups)),
                   "registers": sorted(set(registers))},
        "embedding_C_grid": {f"C{c:g}": {how: round(macro_f1(labels, oof[f"embedding-C{c:g}"][how]),
                                                    4) for how in splits} for c in C_GRID},
        "embedding_C": best_c,
        "weights": {name: {"sha256": w.weights.sha256, "licence": w.licence}
                    for name, w in WEIGHTS.items()},
        "corpus_cv": {k: v for k, v in corpus_table.items() if not k.startswith("embedding-C")},
        "real": real_table,
        "speed": {"passages": len(sample), "cores": os.cpu_count(),
                  "python": platform.python_version(), **speed(final, sample, args.speed_repeats)},
        "fingerprints": {name: m.fingerprint() for name, m in final.items()},
    }
    results["decision"] = decision(results["corpus_cv"], real_table)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: results[k] for k in ("decision", "speed")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
