"""The `framingclf` command: a thin layer over the library's functions.

Every command turns a `FramingError` into one ``Error: ...`` line and exit code 1.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer

from framingclf.errors import FramingError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Label passages of health documents by how they frame health inequalities.")
corpus_app = typer.Typer(no_args_is_help=True, help="Check labelled corpora.")
app.add_typer(corpus_app, name="corpus")

ModelOption = Annotated[Path | None, typer.Option("--model", "-m", help="Model directory "
                        "(default: the shipped model).")]


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def friendly(func):
    """Run a command; report framingclf's errors as one line, not a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FramingError as exc:
            _fail(str(exc))

    return wrapper


@app.command()
@friendly
def score(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the result tables "
                   "(and the per-document parts a --resume picks up).")],
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders of documents, or manifests (.csv).", show_default=False)] = None,
    model: ModelOption = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet.")] = "csv",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes (-1: all "
                    "cores). Default 1, or every worker of a dask cluster.")] = None,
    manifest: Annotated[Path | None, typer.Option(help="CSV listing the files to score (a "
                        "'file' column) and their metadata (title, date, organisation, "
                        "type, ...).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already scored "
                      "in --out by an earlier, interrupted run.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Delete another model's results "
                     "in --out instead of refusing.")] = False,
    backend: Annotated[str, typer.Option(help="loky (processes on this machine) or dask.")
                       ] = "loky",
    scheduler: Annotated[str | None, typer.Option(help="Address of the dask scheduler, "
                         "e.g. tcp://10.0.0.5:8786 (with --backend dask).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary "
                     "(for cron).")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds a document may take to read before "
                       "it becomes an error row (0: no limit).")] = 120.0,
    audit: Annotated[bool, typer.Option("--audit/--no-audit", help="Add the document "
                     "audit's verdicts to the documents table.")] = True,
) -> None:
    """Score documents: write passages, documents and errors tables to --out."""
    from framingclf.batch import score_documents

    sources = [*(inputs or []), *([manifest] if manifest is not None else [])]
    if not sources:
        _fail("nothing to score; give files or folders, or --manifest FILE.csv")
    try:
        result = score_documents(sources, model, out=out, fmt=fmt, jobs=jobs, backend=backend,
                                 scheduler=scheduler, resume=resume, force=force,
                                 progress="none" if quiet else "auto",
                                 timeout=timeout or None, audit=audit)
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished documents are saved in {out}; run the same "
                   "command with --resume to go on from there", err=True)
        raise typer.Exit(130) from None
    if not quiet:
        typer.echo(f"Scored {len(result.documents)} document(s), {len(result.passages)} "
                   f"passages ({len(result.labelled)} labelled); {len(result.errors)} "
                   "error(s).")
        labelled = result.labelled
        if len(labelled):
            shares = labelled["label"].value_counts(normalize=True)
            typer.echo("Labels: " + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()))
        for name in ("passages", "documents", "errors"):
            typer.echo(f"Wrote {out / f'{name}.{fmt}'}")
        for row in result.errors.itertuples():
            typer.echo(f"Skipped {row.path}: {row.message}", err=True)


@app.command()
@friendly
def train(
    corpus: Annotated[Path, typer.Argument(help="Labelled corpus (.jsonl or .csv).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Model directory to write.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    cv: Annotated[int, typer.Option(help="Folds for grouped cross-validation.")] = 5,
    eval_paths: Annotated[list[Path] | None, typer.Option("--eval", help="Held-out labelled "
                          "file to score after training (skipped if absent); repeatable.")] = None,
    text_column: Annotated[str, typer.Option(help="Name of the text column.")] = "text",
    label_column: Annotated[str, typer.Option(help="Name of the label column.")] = "label",
) -> None:
    """Train a model on a labelled corpus and save it with metrics and a model card."""
    from framingclf.training import train_model

    _, metrics = train_model(corpus, out, cv_splits=cv, eval_paths=eval_paths or (),
                             random_state=seed, text_column=text_column,
                             label_column=label_column)
    typer.echo(f"Trained on {metrics['corpus']['n_passages']} passages; saved to {out}")
    if "grouped_cv" in metrics:
        typer.echo(f"Grouped CV macro-F1 {metrics['grouped_cv']['macro_f1']:.3f}, "
                   f"ECE {metrics['grouped_cv']['ece']:.3f}")
    for name, result in metrics["heldout"].items():
        typer.echo(f"{name}: macro-F1 {result['macro_f1']:.3f}")
    for name in metrics["skipped"]:
        typer.echo(f"Skipped evaluation file {name}: not found")


@app.command()
@friendly
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="Labelled passages (.jsonl or .csv).")],
    model: ModelOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics as JSON.")] = False,
) -> None:
    """Score a model on labelled passages: macro-F1, per-class scores, confusion."""
    from framingclf.evaluate import evaluate_file

    result = evaluate_file(corpus, model)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{corpus}: {result['n']} passages, macro-F1 {result['macro_f1']:.3f}, "
               f"accuracy {result['accuracy']:.3f}, ECE {result['ece']:.3f}")
    for label, m in result["per_class"].items():
        typer.echo(f"  {label:<20} P {m['precision']:.3f}  R {m['recall']:.3f}  "
                   f"F1 {m['f1']:.3f}  n {m['support']}")


@app.command()
@friendly
def info(model: ModelOption = None) -> None:
    """Show a model's labels, versions, training corpus and metrics."""
    from framingclf.labels import DESCRIPTIONS
    from framingclf.persistence import model_info

    info = model_info(model)
    manifest, metrics = info["manifest"], info["metrics"]
    typer.echo(f"Model: {info['path']}")
    typer.echo("Versions: " + ", ".join(f"{k} {v}" for k, v in manifest["versions"].items()))
    typer.echo(f"Fingerprint: {manifest['fingerprint']}")
    typer.echo(f"Corpus SHA-256: {manifest.get('corpus_sha256')}")
    typer.echo("Labels:")
    for label in manifest["labels"]:
        typer.echo(f"  {label:<20} {DESCRIPTIONS.get(label, '')}")
    if "grouped_cv" in metrics:
        typer.echo(f"Grouped CV macro-F1: {metrics['grouped_cv']['macro_f1']:.3f}")
    for name, result in metrics.get("heldout", {}).items():
        typer.echo(f"{name} macro-F1: {result['macro_f1']:.3f}")


@app.command("audit")
@friendly
def audit_command(
    results: Annotated[Path, typer.Argument(help="Folder written by `framingclf score`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="CSV file to write (one row per "
                   "document and check).")] = Path("audit.csv"),
    model: Annotated[Path | None, typer.Option("--model", "-m", help="Audit model directory "
                     "(default: the shipped one).")] = None,
) -> None:
    """Audit each document: seven checks with verdict, confidence and evidence."""
    from framingclf.audit import audit, write_audit

    table = audit(results, model)
    write_audit(table, out)
    counts = table.groupby("check", sort=False)["verdict"].value_counts().unstack(fill_value=0)
    typer.echo(f"Audited {table['doc_id'].nunique()} document(s); wrote {out}")
    for check, row in counts.iterrows():
        typer.echo(f"  {check:<16} " + ", ".join(f"{v} {row.get(v, 0)}"
                                                  for v in ("yes", "partly", "no")))


@app.command()
@friendly
def report(
    results: Annotated[Path, typer.Argument(help="Folder written by `framingclf score`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"),
    title: Annotated[str | None, typer.Option(help="Title of the report.")] = None,
) -> None:
    """Write one self-contained HTML report: profiles, plots and every passage."""
    from framingclf.reports import report as write_report

    path = write_report(results, out, title=title)
    typer.echo(f"Wrote {path}")


@corpus_app.command("check")
@friendly
def corpus_check(
    corpus: Annotated[Path, typer.Argument(help="Labelled corpus (.jsonl or .csv).")],
    max_near_duplicates: Annotated[float, typer.Option(help="Highest tolerated share of "
                                   "near-duplicate passages.")] = 0.01,
    show: Annotated[int, typer.Option(help="Near-duplicate pairs to list.")] = 10,
) -> None:
    """Check a corpus: schema, duplicates, near-duplicates, label counts, lengths."""
    from framingclf.corpus import check_corpus

    report = check_corpus(corpus, max_near_duplicates=max_near_duplicates)
    for problem in report.problems:
        typer.echo(f"Error: {problem}", err=True)
    if not report.n_passages:
        raise typer.Exit(1)
    typer.echo(f"{corpus}: {report.n_passages} passages"
               + (f" from {report.n_documents} documents" if report.n_documents else ""))
    typer.echo("Labels: " + ", ".join(f"{k} {v}" for k, v in report.label_counts.items()))
    if report.doc_type_counts:
        typer.echo(f"Document types ({len(report.doc_type_counts)}): "
                   + ", ".join(f"{k} {v}" for k, v in report.doc_type_counts.items()))
    typer.echo("Length in words: " + ", ".join(f"{k} {v}" for k, v in report.length_words.items()))
    typer.echo(f"Exact duplicates: {len(report.exact_duplicates)}; near duplicates: "
               f"{len(report.near_duplicates)}; rate {report.near_duplicate_rate:.2%}")
    for i, j, similarity in report.near_duplicates[:show]:
        typer.echo(f"  rows {i + 1} and {j + 1}: similarity {similarity:.2f}")
    if not report.problems and not report.ok:
        typer.echo(f"Error: {corpus}: near-duplicate rate {report.near_duplicate_rate:.2%} is "
                   f"above {max_near_duplicates:.2%}; rewrite or remove the rows listed",
                   err=True)
    if not report.ok:
        raise typer.Exit(1)


def main() -> None:
    app(prog_name="framingclf")


if __name__ == "__main__":
    sys.exit(main())
