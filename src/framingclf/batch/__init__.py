"""Batch scoring: many documents, in parallel, resumably, with one error row per bad file.

Parallel work is over documents, never inside spaCy: workers take chunks of a few
documents, load the model once each, and send back plain tables. With an output
folder, each document's results are written as soon as they arrive, keyed by the file's
content hash and the model, and the tables are then built in the order of the sorted
input paths: the same inputs give identical tables however many workers ran, and a run
interrupted and resumed gives exactly the tables of an uninterrupted one. A file whose
content repeats an earlier one is scored once, under the first path (the others are
listed in the document's ``duplicate_paths``).

Modules: `_plan` (hashing, repeats, resume, chunks), `_workers` (reading and scoring a
chunk, in whichever process), `_run` (the run and its executors), `_store` (parts in
memory or a results folder), `_assemble` (the tables from the parts), `_progress`.
"""

from framingclf.batch._run import BACKENDS, DEFAULT_TIMEOUT, score_documents

__all__ = ["BACKENDS", "DEFAULT_TIMEOUT", "score_documents"]
