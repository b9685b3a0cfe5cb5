"""Words per second of framingclf's text scoring against bare spaCy, in one run.

Measures on the same ~2 MB of text (the training corpus, repeated): (a) the bare
`spacy.blank("en")` tokenizer, (b) blank + sentencizer + lookup lemmatizer, and (c)
`framingclf.score_texts` end to end with the shipped model. Prints (c)/(b); the target
is >= 0.6. Ratios, not seconds, are the result: this machine is shared and noisy.

    python benchmarks/bench_text.py [--megabytes 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

import framingclf
from framingclf.corpus import read_corpus

ROOT = Path(__file__).resolve().parents[1]


def best_of(repeats: int, func) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default=None, help="model directory (default: shipped)")
    args = parser.parse_args()
    base = read_corpus(ROOT / "corpora" / "framing-corpus.jsonl")["text"].tolist()
    texts, size = [], 0
    while size < args.megabytes * 1e6:
        for text in base:
            texts.append(text)
            size += len(text.encode("utf-8"))
    n_words = sum(len(t.split()) for t in texts)

    tokenizer = spacy.blank("en")
    lemmatizer = spacy.blank("en")
    lemmatizer.add_pipe("sentencizer")
    lemmatizer.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()
    model = framingclf.load_model(args.model)
    framingclf.score_texts(texts[:100], model)  # warm up

    lowered = [t.lower() for t in texts]
    seconds = {
        "a_blank_tokenizer": best_of(args.repeats, lambda: list(tokenizer.pipe(lowered))),
        "b_blank_sentencizer_lemmatizer": best_of(args.repeats,
                                                  lambda: list(lemmatizer.pipe(lowered))),
        "c_score_texts": best_of(args.repeats, lambda: framingclf.score_texts(texts, model)),
    }
    result = {"passages": len(texts), "words": n_words, "megabytes": round(size / 1e6, 2)}
    for name, secs in seconds.items():
        result[f"{name}_words_per_s"] = round(n_words / secs)
    result["ratio_c_over_b"] = round(seconds["b_blank_sentencizer_lemmatizer"]
                                     / seconds["c_score_texts"], 3)
    result["target_c_over_b"] = 0.6
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "bench_text.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
