"""Words per second of framingclf's text scoring against bare spaCy, in one run.

Measures on the same ~2 MB of text (the training corpus, repeated): (a) the bare
`spacy.blank("en")` tokenizer, (b) blank + sentencizer + lookup lemmatizer, and (c)
`framingclf.score_texts` end to end with the shipped model. Prints (c)/(b); the target
is >= 0.6. Ratios, not seconds, are the result: this machine is shared and noisy, so the
three take turns round by round (CPU time), and the ratio is the median over rounds of
(b)'s time over (c)'s in the same round; words per second are each one's best round.

    python benchmarks/bench_text.py [--megabytes 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import spacy

import framingclf
from framingclf.corpus import read_corpus

ROOT = Path(__file__).resolve().parents[1]


def rounds_in_turns(repeats: int, funcs: dict) -> list[dict[str, float]]:
    """CPU seconds of each function in `repeats` rounds in which they take turns, so that
    a slow spell of the shared machine falls on all of them, not on one."""
    rounds = []
    for _ in range(repeats):
        seconds = {}
        for name, func in funcs.items():
            start = time.process_time()
            func()
            seconds[name] = time.process_time() - start
        rounds.append(seconds)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=5)
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
    rounds = rounds_in_turns(args.repeats, {
        "a_blank_tokenizer": lambda: list(tokenizer.pipe(lowered)),
        "b_blank_sentencizer_lemmatizer": lambda: list(lemmatizer.pipe(lowered)),
        "c_score_texts": lambda: framingclf.score_texts(texts, model),
    })
    result = {"passages": len(texts), "words": n_words, "megabytes": round(size / 1e6, 2),
              "rounds": len(rounds)}
    for name in rounds[0]:
        result[f"{name}_words_per_s"] = round(n_words / min(r[name] for r in rounds))
    ratios = [r["b_blank_sentencizer_lemmatizer"] / r["c_score_texts"] for r in rounds]
    result["ratio_c_over_b"] = round(float(np.median(ratios)), 3)
    result["ratio_c_over_b_range"] = [round(min(ratios), 3), round(max(ratios), 3)]
    result["target_c_over_b"] = 0.6
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "bench_text.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
