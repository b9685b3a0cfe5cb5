"""The `framingclf` command: a thin layer over the library's functions.

Every command turns a `FramingError` into one ``Error: ...`` line and exit code 1.
"""

from __future__ import annotations

import json
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
        _warn_unfinished(result.documents)
        for name in ("passages", "documents", "errors"):
            typer.echo(f"Wrote {out / f'{name}.{fmt}'}")
        for row in result.errors.itertuples():
            typer.echo(f"Skipped {row.path}: {row.message}", err=True)


def _warn_unfinished(documents) -> None:
    """Name the documents whose labelled passages often stop mid-sentence."""
    from framingclf.profiles import MAX_UNFINISHED

    if "unfinished_rate" not in documents.columns:
        return
    poor = documents[documents["unfinished_rate"] >= MAX_UNFINISHED]
    if len(poor):
        names = ", ".join(Path(str(path)).name for path in poor["path"][:5])
        more = f" and {len(poor) - 5} more" if len(poor) > 5 else ""
        typer.echo(f"Read with care: in {len(poor)} document(s) a fifth or more of the "
                   "labelled passages stop mid-sentence (slides, forms, or text flattened "
                   f"from columns; see unfinished_rate): {names}{more}", err=True)


TextCol = Annotated[str, typer.Option("--text-col", "--text-column",
                                     help="Column holding the passage text.")]
LabelCol = Annotated[str, typer.Option("--label-col", "--label-column",
                                       help="Column holding the label.")]
DocCol = Annotated[str | None, typer.Option(
    "--doc-col", help="Column naming each passage's document, for grouped "
    "cross-validation and intervals (default: doc_id when present).")]


@app.command()
@friendly
def train(
    corpus: Annotated[Path, typer.Argument(help="Labelled corpus (.jsonl or .csv).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Model directory to write.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    cv: Annotated[int, typer.Option(help="Folds for cross-validation (grouped by "
                                    "document when documents are known).")] = 5,
    eval_paths: Annotated[list[Path] | None, typer.Option("--eval", help="Held-out labelled "
                          "file, or folder of items.jsonl and gold.jsonl, to score after training "
                          "(skipped if absent); repeatable.")] = None,
    text_col: TextCol = "text",
    label_col: LabelCol = "label",
    doc_col: DocCol = None,
    selection: Annotated[Path | None, typer.Option(help="Model selection results "
                         "(benchmarks/results/select_model.json) for the model card.")] = None,
) -> None:
    """Train a model on a labelled corpus and save it with metrics and a model card."""
    from framingclf.training import train_model

    _, metrics = train_model(corpus, out, cv_splits=cv, eval_paths=eval_paths or (),
                             random_state=seed, text_col=text_col, label_col=label_col,
                             doc_col=doc_col, selection=selection)
    typer.echo(f"Trained on {metrics['corpus']['n_passages']} passages; saved to {out}")
    for key in ("grouped_cv", "stratified_cv"):
        if key in metrics:
            result = metrics[key]
            typer.echo(f"Cross-validation: {result['method']}.")
            typer.echo(f"  macro-F1 {_with_ci(result, 'macro_f1')}, ECE "
                       f"{_with_ci(result, 'ece')}")
    if "cv_skipped" in metrics:
        typer.echo(f"No cross-validation: {metrics['cv_skipped']}")
    for name, result in metrics["heldout"].items():
        typer.echo(f"{name}: macro-F1 {_with_ci(result, 'macro_f1')}")
    for name in metrics["skipped"]:
        typer.echo(f"Skipped evaluation file {name}: not found")


def _with_ci(result: dict, key: str) -> str:
    interval = (result.get("intervals") or {}).get(key)
    value = f"{result[key]:.3f}"
    return f"{value} [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else value


@app.command()
@friendly
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="Labelled passages (.jsonl or .csv).")],
    model: ModelOption = None,
    text_col: TextCol = "text",
    label_col: LabelCol = "label",
    doc_col: DocCol = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print metrics as JSON.")] = False,
) -> None:
    """Score a model on labelled passages: macro-F1, per-label F1, confusion, ECE, with
    intervals over documents; warns when the passages overlap its training set."""
    import warnings

    from framingclf.evaluate import evaluate_file

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate_file(corpus, model, text_col=text_col, label_col=label_col,
                               doc_col=doc_col)
    for warning in caught:
        typer.echo(f"Warning: {warning.message}", err=True)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{corpus}: {result['n']} passages, macro-F1 {_with_ci(result, 'macro_f1')}, "
               f"accuracy {_with_ci(result, 'accuracy')}, ECE {_with_ci(result, 'ece')}")
    if result.get("intervals"):
        typer.echo(f"Intervals: {result['intervals']['method']}")
    for label, m in result["per_class"].items():
        ci = (result.get("intervals") or {}).get(f"f1_{label}")
        typer.echo(f"  {label:<20} P {m['precision']:.3f}  R {m['recall']:.3f}  "
                   f"F1 {m['f1']:.3f}" + (f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")
                   + f"  n {m['support']}")
    typer.echo(_confusion_text(result["confusion"]))


def _confusion_text(confusion: dict) -> str:
    labels = confusion["labels"]
    width = max(len(x) for x in labels)
    lines = ["Confusion (rows true, columns predicted):",
             " " * (width + 2) + " ".join(f"{x[:8]:>8}" for x in labels)]
    for label, counts in zip(labels, confusion["matrix"]):
        lines.append(f"  {label:<{width}}" + " ".join(f"{c:>8}" for c in counts))
    return "\n".join(lines)


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
    if "stratified_cv" in metrics:
        typer.echo(f"Cross-validation NOT grouped by document, macro-F1: "
                   f"{metrics['stratified_cv']['macro_f1']:.3f}")
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
    from framingclf.auditing import audit, write_audit

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
    document_columns: Annotated[list[str] | None, typer.Option(
        "--document-column", help="A column of the documents table for each document's "
        "panel (repeatable; default: the usual ones and any extra columns).")] = None,
    page_size: Annotated[int, typer.Option(help="Passages per page of the table.")] = 50,
    audit: Annotated[bool | None, typer.Option(
        "--audit/--no-audit", help="Each document's audit, with its evidence, in its panel "
        "(default: when the documents were audited as they were scored).")] = None,
    set_mix: Annotated[bool, typer.Option(
        "--set-mix", help="Relabel the passages for the label mix of the whole set first "
        "(EM; see framingclf.quantify.adjust_to_set); the report says so.")] = False,
    model: ModelOption = None,
) -> None:
    """Write one self-contained HTML report: profiles, documents and every passage, with
    filters, CSV export and a reviewer's corrections."""
    from framingclf.reports import report as write_report

    path = write_report(results, out, title=title, document_columns=document_columns,
                        page_size=page_size, audit=audit, set_mix=set_mix, model=model)
    typer.echo(f"Wrote {path}")


def _mapping(pairs: list[str] | None) -> dict[str, str | None] | None:
    """--map 'NAME=LABEL' options as a dict; 'NAME=' leaves NAME out."""
    if not pairs:
        return None
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        name, sep, label = pair.partition("=")
        if not sep or not name.strip():
            _fail(f"--map {pair!r}: expected NAME=LABEL (or NAME= to leave NAME out)")
        mapping[name.strip()] = label.strip() or None
    return mapping


FromOption = Annotated[str | None, typer.Option("--from", help="Format: csv, xlsx, jsonl, "
                       "labelstudio, doccano, prodigy or refi (default: from the file).")]
MapOption = Annotated[list[str] | None, typer.Option(
    "--map", help="Map a tool's label or code name to a framingclf label: "
    "'Access=healthcare-access'; 'Memo=' leaves a code out. Repeatable.")]
CoderCol = Annotated[str, typer.Option("--coder-col", help="Column naming the coder.")]
UnitCol = Annotated[str, typer.Option("--unit-col", help="Column identifying the passage "
                                      "coded (default: its normalised text).")]


def _read_codings(path: Path, fmt, mapping, text_col, label_col, coder_col, doc_col,
                  unit_col, predictions: bool = False):
    from framingclf.codings import import_codings

    return import_codings(path, fmt, labels=_mapping(mapping), text_col=text_col,
                          label_col=label_col, coder_col=coder_col,
                          doc_col=doc_col or "doc_id", unit_col=unit_col,
                          predictions=predictions)


@app.command("import")
@friendly
def import_(
    path: Annotated[Path, typer.Argument(help="Codings exported from a coding tool.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Codings table to write (.jsonl).")],
    fmt: FromOption = None,
    mapping: MapOption = None,
    text_col: TextCol = "text",
    label_col: LabelCol = "label",
    coder_col: CoderCol = "coder",
    doc_col: DocCol = None,
    unit_col: UnitCol = "unit_id",
    predictions: Annotated[bool, typer.Option(help="Label Studio: read the tasks' "
                           "predictions too, as coder model:<version>.")] = False,
    consensus: Annotated[bool, typer.Option(help="Write one row per passage: the label "
                         "most coders gave (ties dropped unless --prefer).")] = False,
    prefer: Annotated[str | None, typer.Option(help="With --consensus, the coder whose "
                      "label breaks a tie.")] = None,
) -> None:
    """Read codings (CSV, Excel, JSON Lines, Label Studio, doccano, Prodigy, REFI-QDA)
    into one table: text, label, coder, doc_id, unit_id, source, row."""
    from framingclf.codings import consensus as take_consensus
    from framingclf.codings import save_codings

    table = _read_codings(path, fmt, mapping, text_col, label_col, coder_col, doc_col,
                          unit_col, predictions)
    typer.echo(f"Read {len(table)} codings of {table['unit_id'].nunique()} passages by "
               f"{table['coder'].nunique()} coder(s) from {path}"
               + (f"; skipped {table.attrs['skipped']}" if table.attrs.get("skipped") else ""))
    if consensus:
        table = take_consensus(table, prefer=prefer)
        typer.echo(f"Consensus: {len(table)} passages"
                   + (f"; {table.attrs['ties_dropped']} ties dropped"
                      if table.attrs.get("ties_dropped") else ""))
    typer.echo(f"Wrote {save_codings(table, out)}")


@app.command()
@friendly
def export(
    results: Annotated[Path, typer.Argument(help="Folder written by `framingclf score`.")],
    to: Annotated[str, typer.Option("--to", help="qdpx, qdc, labelstudio, doccano, prodigy "
                  "or xlsx.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    model: Annotated[Path | None, typer.Option("--model", "-m", help="The model that "
                     "scored the results, for the cues in a qdpx (default: the shipped "
                     "model).")] = None,
    cues: Annotated[bool, typer.Option(help="qdpx: list each passage's cues.")] = True,
) -> None:
    """Write scored passages for a coding tool: REFI-QDA (NVivo, ATLAS.ti, MAXQDA,
    QualCoder), Label Studio, doccano, Prodigy or Excel, labels pre-filled."""
    from framingclf.exports import export as write_export
    from framingclf.exports.tasks import config_path

    path = write_export(results, to, out, model=model, cues=cues)
    typer.echo(f"Wrote {path}")
    if to == "labelstudio":
        typer.echo(f"Wrote {config_path(path)} (the project's labelling config)")


@app.command()
@friendly
def agree(
    codings: Annotated[Path, typer.Argument(help="Codings by two or more coders (any "
                       "format `framingclf import` reads).")],
    fmt: FromOption = None,
    mapping: MapOption = None,
    text_col: TextCol = "text",
    label_col: LabelCol = "label",
    coder_col: CoderCol = "coder",
    doc_col: DocCol = None,
    unit_col: UnitCol = "unit_id",
    model: Annotated[Path | None, typer.Option("--model", "-m", help="Add this model as "
                     "one more coder.")] = None,
    with_model: Annotated[bool, typer.Option("--with-model", help="Add the shipped model "
                          "(or --model) as one more coder.")] = False,
    boot: Annotated[int, typer.Option(help="Bootstrap draws over documents.")] = 1000,
) -> None:
    """Agreement between coders: kappas, Krippendorff's alpha, Gwet's AC1, per label,
    with bootstrap intervals over documents."""
    import pandas as pd

    from framingclf import agreement

    table = _read_codings(codings, fmt, mapping, text_col, label_col, coder_col, doc_col,
                          unit_col)
    matrix = agreement.codings_matrix(table)
    units = table.drop_duplicates("unit_id").set_index("unit_id").loc[matrix.index]
    if with_model or model is not None:
        matrix = agreement.with_model_coder(matrix, units["text"].tolist(), model)
    groups = units["doc_id"].fillna(units.index.to_series()).tolist()
    summary = agreement.summary(matrix, groups, n_boot=boot)
    typer.echo(f"{len(matrix)} passages, coders: {', '.join(map(str, matrix.columns))}; "
               f"intervals resample {len(set(groups))} documents")
    with pd.option_context("display.width", 120, "display.max_colwidth", 60):
        typer.echo(summary.round(3).to_string(index=False))
        typer.echo("\nPer label:")
        typer.echo(agreement.per_label(matrix).round(3).to_string(index=False))
        if matrix.shape[1] == 2:
            a, b = matrix.columns
            typer.echo("\nConfusion:")
            typer.echo(agreement.confusion(matrix[a], matrix[b],
                                           names=(str(a), str(b))).to_string())


@app.command("queue")
@friendly
def queue_(
    source: Annotated[Path, typer.Argument(help="Results folder from `framingclf score`, or "
                      "a file of uncoded passages (.csv, .jsonl, .xlsx, or .txt a line each).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    n: Annotated[int, typer.Option("-n", help="Passages to choose.")] = 50,
    to: Annotated[str, typer.Option("--to", help="labelstudio, prodigy, doccano or xlsx.")
                  ] = "labelstudio",
    model: ModelOption = None,
    per_document: Annotated[int, typer.Option(help="At most this many from one document "
                            "(0: no cap).")] = 5,
    exclude: Annotated[list[Path] | None, typer.Option(help="Codings already made (any "
                       "format `framingclf import` reads): left out. Repeatable.")] = None,
    previous_model: Annotated[Path | None, typer.Option(help="The model of the previous "
                              "round: report how far the two agree on this pool.")] = None,
    text_col: TextCol = "text",
    doc_col: DocCol = None,
    seed: Annotated[int, typer.Option(help="Random seed for the clustering.")] = 0,
) -> None:
    """Choose the passages to code next (uncertain, diverse, a few per document), with
    the model's labels pre-filled, for Label Studio, Prodigy, doccano or Excel."""
    from framingclf import active
    from framingclf.codings import import_codings
    from framingclf.exports import write_doccano, write_labelstudio, write_prodigy, write_xlsx

    writers = {"labelstudio": write_labelstudio, "prodigy": write_prodigy,
               "doccano": write_doccano, "xlsx": lambda t, p: write_xlsx({"passages": t}, p)}
    if to not in writers:
        _fail(f"--to {to!r}; expected one of {', '.join(writers)}")
    done = [t for path in exclude or [] for t in import_codings(path)["text"]]
    picks = active.queue(source, model, n=n, per_document=per_document or None,
                         exclude=done, random_state=seed, text_col=text_col,
                         doc_col=doc_col or "doc_id")
    documents = picks["doc_id"].nunique() if "doc_id" in picks else len(picks)
    typer.echo(f"Chose {len(picks)} passages from {documents} document(s); margins "
               f"{picks['margin'].min():.2f}-{picks['margin'].max():.2f}")
    typer.echo(f"Wrote {writers[to](picks, out)}")
    if previous_model is not None:
        pool = active.pool_passages(source, text_col=text_col, doc_col=doc_col or "doc_id")
        kappa = active.stability(previous_model, model, pool["text"].tolist())
        typer.echo(f"Agreement with the previous model on {len(pool)} uncoded passages: "
                   f"kappa {kappa:.3f} (stop when it stays at 0.99 or more for three rounds)")


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
    main()
