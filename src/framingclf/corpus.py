"""Labelled corpora: reading, validating and hashing passages with framing labels.

A corpus is JSON Lines (one object per line) or CSV with at least ``text`` and
``label``. The shipped corpus also carries ``id``, ``labels`` (every framing present),
``doc_id``, ``doc_type``, ``organisation_type``, ``year`` and provenance; see
``corpora/DATASHEET.md``. Every problem is reported with its line number, all at once.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framingclf._files import sha256_file
from framingclf.errors import CorpusFormatError
from framingclf.labels import LABELS

REQUIRED = ("text", "label")

#: Registers: families of document types written in a like way. Leave-one-register-out
#: cross-validation trains on all but one and tests on it, the nearest proxy for writing
#: a model has never seen.
REGISTERS: dict[str, tuple[str, ...]] = {
    "board-papers": ("trust-board-paper", "cabinet-report", "icb-strategy", "icp-strategy",
                     "joint-forward-plan", "inequalities-action-plan"),
    "minutes": ("board-minutes", "scrutiny-minutes", "hwb-minutes", "ics-minutes",
                "action-log"),
    "public-health-reports": ("dph-annual-report", "jsna-chapter",
                              "health-wellbeing-strategy", "needs-assessment",
                              "analytical-report", "equality-report", "research-strategy",
                              "constitution"),
    "parliament-government": ("parliamentary-debate", "committee-evidence",
                              "select-committee-report", "government-response",
                              "government-strategy"),
    "policy-analysis": ("think-tank-briefing", "charity-briefing", "academic-article",
                        "blog-post", "consultation-response"),
    "news": ("local-news", "national-news", "press-release"),
    "guidance": ("staff-guidance", "patient-leaflet", "council-web-page",
                 "service-directory"),
}
_REGISTER_OF = {doc_type: register for register, types in REGISTERS.items()
                for doc_type in types}


def register_of(doc_type: object) -> str:
    """The register of a document type (``other`` for a type outside `REGISTERS`)."""
    return _REGISTER_OF.get(str(doc_type), "other")
MAX_REPORTED = 20


def corpus_sha256(path: str | Path) -> str:
    """SHA-256 of the corpus file's bytes, recorded in every model trained on it."""
    return sha256_file(path)


def passage_key(text: str) -> str:
    """A passage's identity whatever its spacing, case or Unicode form: 16 hex digits of
    the SHA-256 of its NFKC-normalised, case-folded text with white space collapsed.
    Models keep the keys of their training passages, so that an evaluation set's
    overlap with them can be counted passage by passage."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows, problems = [], []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"line {line_no}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict):
                problems.append(f"line {line_no}: expected a JSON object, got {type(obj).__name__}")
                continue
            obj["_line"] = line_no
            rows.append(obj)
    if problems:
        raise_problems(path, problems)
    return pd.DataFrame(rows)


def _read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["_line"] = range(2, len(frame) + 2)  # line 1 is the header
    if "labels" in frame:
        frame["labels"] = [
            [part.strip() for part in value.replace(";", "|").split("|") if part.strip()]
            if value else None
            for value in frame["labels"]
        ]
    return frame


def raise_problems(path: str | Path, problems: list[str]) -> None:
    """Raise one `CorpusFormatError` naming the file and its first problems."""
    shown = problems[:MAX_REPORTED]
    more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
    raise CorpusFormatError(f"{path}: " + "; ".join(shown) + more)


def read_corpus(path: str | Path, *, text_column: str = "text",
                label_column: str = "label") -> pd.DataFrame:
    """Read and validate a labelled corpus; return a DataFrame with ``text`` and ``label``.

    Raises `CorpusFormatError` naming the file and every bad line: missing columns,
    empty text, unknown labels, duplicate ids, a primary label missing from ``labels``.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusFormatError(f"{path}: no such file; pass a .jsonl or .csv corpus")
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson", ".json"}:
            frame = _read_jsonl(path)
        elif suffix == ".csv":
            frame = _read_csv(path)
        else:
            raise CorpusFormatError(
                f"{path}: unsupported corpus format {suffix!r}; expected .jsonl or .csv"
            )
    except UnicodeDecodeError as exc:
        raise CorpusFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                "save it as UTF-8") from None
    if frame.empty:
        raise CorpusFormatError(f"{path}: no passages; expected one row per labelled passage")
    frame = frame.rename(columns={text_column: "text", label_column: "label"})
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        found = [c for c in frame.columns if c != "_line"]
        raise CorpusFormatError(
            f"{path}: column(s) {missing} missing; found {found}; name the text and label "
            "columns with text_column= / label_column= (CLI: --text-col, --label-col)"
        )
    _raise_if(path, validate_rows(frame))
    return frame.drop(columns="_line").reset_index(drop=True)


def read_eval_set(path: str | Path) -> pd.DataFrame:
    """A labelled evaluation set: a corpus file (`read_corpus`), or a folder as double
    coding delivers one, ``items.jsonl`` (``id``, ``text``, ``doc``) beside ``gold.jsonl``
    (``id``, the adjudicated ``label``), joined on ``id``; ``doc`` becomes ``doc_id``."""
    path = Path(path)
    if not path.is_dir():
        return read_corpus(path)
    items, gold = path / "items.jsonl", path / "gold.jsonl"
    for part in (items, gold):
        if not part.is_file():
            raise CorpusFormatError(f"{path}: no {part.name}; a folder evaluation set holds "
                                    "items.jsonl (id, text) and gold.jsonl (id, label)")
    texts, labels = _read_jsonl(items), _read_jsonl(gold)
    for part, frame, column in ((items, texts, "text"), (gold, labels, "label")):
        if frame.empty or not {"id", column} <= set(frame.columns):
            raise CorpusFormatError(f"{part}: expected lines with 'id' and '{column}'")
    frame = texts.drop(columns=[c for c in ("label", "_line") if c in texts]).merge(
        labels[["id", "label", "_line"]], on="id", how="inner")
    if frame.empty:
        raise CorpusFormatError(f"{path}: no id of items.jsonl has a label in gold.jsonl; "
                                "their ids must match")
    frame = frame.rename(columns={"doc": "doc_id"}) if "doc_id" not in frame else frame
    _raise_if(gold, validate_rows(frame))
    return frame.drop(columns="_line").reset_index(drop=True)


def _raise_if(path: Path, problems: list[str]) -> None:
    if problems:
        raise_problems(path, problems)


def validate_rows(frame: pd.DataFrame) -> list[str]:
    """Problems with a corpus frame's rows, each naming its line."""
    problems: list[str] = []
    seen_ids: dict[str, int] = {}
    has_id, has_labels = "id" in frame.columns, "labels" in frame.columns
    for row in frame.to_dict("records"):
        line = row["_line"]
        problems += [f"line {line}: {problem}" for problem in _row_problems(row)]
        if has_id:
            ident = str(row["id"])
            if ident in seen_ids:
                problems.append(f"line {line}: duplicate id {ident!r} (first on line "
                                f"{seen_ids[ident]})")
            else:
                seen_ids[ident] = line
        if has_labels:
            problems += [f"line {line}: {problem}" for problem in _labels_problems(row)]
    return problems


def _row_problems(row: dict) -> list[str]:
    problems = []
    if not isinstance(row["text"], str) or not row["text"].strip():
        problems.append("empty or missing text")
    if row["label"] not in LABELS:
        problems.append(f"unknown label {row['label']!r}; expected one of " + ", ".join(LABELS))
    return problems


def _labels_problems(row: dict) -> list[str]:
    labels, label = row["labels"], row["label"]
    if isinstance(labels, list):
        bad = [v for v in labels if v not in LABELS]
        if bad:
            return [f"unknown label(s) {bad} in labels"]
        if label in LABELS and label not in labels:
            return [f"primary label {label!r} is not in labels {labels}"]
        return []
    if labels is not None and not (isinstance(labels, float) and labels != labels):
        return [f"labels must be a list, got {labels!r}"]
    return []


@dataclass
class CorpusReport:
    """What `check_corpus` found: problems (fatal), and the corpus' shape."""

    path: str
    n_passages: int = 0
    problems: list[str] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)
    n_documents: int | None = None
    doc_type_counts: dict[str, int] = field(default_factory=dict)
    length_words: dict[str, float] = field(default_factory=dict)
    exact_duplicates: list[tuple[int, int]] = field(default_factory=list)
    near_duplicates: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def near_duplicate_rate(self) -> float:
        """Share of passages that duplicate (exactly or nearly) an earlier one."""
        later = {b for _, b in self.exact_duplicates} | {b for _, b, _ in self.near_duplicates}
        return len(later) / self.n_passages if self.n_passages else 0.0

    max_near_duplicates: float = 0.01

    @property
    def ok(self) -> bool:
        """No problems, and no more near duplicates than `max_near_duplicates` allows."""
        return not self.problems and self.near_duplicate_rate <= self.max_near_duplicates


def near_duplicate_pairs(texts: list[str], threshold: float = 0.6) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity), i < j, whose word 3-gram sets overlap by Jaccard >=
    `threshold`; exact duplicates (after case and space folding) included at 1.0."""
    from sklearn.feature_extraction.text import CountVectorizer

    folded = [" ".join(t.lower().split()) for t in texts]
    vectorizer = CountVectorizer(ngram_range=(3, 3), binary=True, token_pattern=r"(?u)\b\w+\b")
    try:
        shingles = vectorizer.fit_transform(folded).tocsr().astype("float32")
    except ValueError:  # no text long enough to have 3-grams
        return []
    sizes = np.asarray(shingles.sum(axis=1)).ravel()
    overlap = (shingles @ shingles.T).tocoo()
    pairs = []
    for i, j, inter in zip(overlap.row, overlap.col, overlap.data):
        if i < j:
            union = sizes[i] + sizes[j] - inter
            similarity = float(inter / union) if union else 0.0
            if similarity >= threshold or folded[i] == folded[j]:
                pairs.append((int(i), int(j), round(similarity, 3)))
    return sorted(pairs)


def check_corpus(path: str | Path, *, near_threshold: float = 0.6,
                 max_near_duplicates: float = 0.01) -> CorpusReport:
    """Check a corpus: schema, duplicate and near-duplicate passages, label counts,
    documents and lengths. Schema problems and exact duplicate texts are problems; a
    near-duplicate rate above `max_near_duplicates` fails the check too."""
    report = CorpusReport(path=str(path), max_near_duplicates=max_near_duplicates)
    try:
        frame = read_corpus(path)
    except CorpusFormatError as exc:
        report.problems.append(str(exc))
        return report
    texts = frame["text"].tolist()
    report.n_passages = len(frame)
    report.label_counts = {label: int((frame["label"] == label).sum()) for label in LABELS}
    if "doc_id" in frame:
        report.n_documents = int(frame["doc_id"].nunique())
    if "doc_type" in frame:
        report.doc_type_counts = {str(k): int(v) for k, v in
                                  frame["doc_type"].value_counts().sort_index().items()}
    lengths = np.array([len(t.split()) for t in texts])
    report.length_words = {"min": int(lengths.min()), "median": float(np.median(lengths)),
                           "mean": round(float(lengths.mean()), 1), "max": int(lengths.max())}
    for i, j, similarity in near_duplicate_pairs(texts, near_threshold):
        folded_equal = " ".join(texts[i].lower().split()) == " ".join(texts[j].lower().split())
        if folded_equal:
            report.exact_duplicates.append((i, j))
        else:
            report.near_duplicates.append((i, j, similarity))
    ids = frame["id"].astype(str).tolist() if "id" in frame else [str(i) for i in frame.index]
    for i, j in report.exact_duplicates:
        report.problems.append(f"row {j + 1} ({ids[j]}): same text as row {i + 1} ({ids[i]})")
    return report
