"""Progress of a scoring run: documents, pages and passages per second, and an ETA.

A tqdm bar on a terminal and in Jupyter (the notebook widget where ipywidgets is
installed, else tqdm's text bar, which Jupyter shows in place, so no warning asks for
ipywidgets); otherwise, as under cron or with output sent to a file, a plain line on
stderr when the run starts, every `every` seconds, and when it ends; or nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: What `progress=` accepts: "auto" (a bar on a terminal, else lines), "bar", "log",
#: "none"; True means "auto" and False or None "none".
MODES = ("auto", "bar", "log", "none")

#: Seconds between log lines when not on a terminal.
LOG_EVERY = 30.0


def resolve_mode(progress: str | bool | None, stream: TextIO | None = None) -> str:
    """The progress mode to use: "bar", "log" or "none"."""
    if progress is None or progress is False:
        return "none"
    if progress is True:
        progress = "auto"
    if progress not in MODES:
        from framingclf.errors import InvalidInputError

        raise InvalidInputError(f"progress={progress!r}; expected one of {list(MODES)}, "
                                "True or False")
    if progress != "auto":
        return progress
    stream = stream or sys.stderr
    interactive = getattr(stream, "isatty", lambda: False)()
    return "bar" if interactive or in_jupyter() else "log"


def in_jupyter() -> bool:
    """Whether this process is a Jupyter kernel (where a notebook shows its output)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _bar_class():
    """tqdm's notebook widget in Jupyter with ipywidgets, else its text bar."""
    if in_jupyter():
        from importlib.util import find_spec

        if find_spec("ipywidgets") is not None:
            from tqdm.notebook import tqdm

            return tqdm
    from tqdm.std import tqdm

    return tqdm


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts documents, pages, passages and errors as results arrive, and shows them."""

    def __init__(self, mode: str, total: int, *, resumed: int = 0, workers: int | str = 1,
                 errors: int = 0, stream: TextIO | None = None, every: float = LOG_EVERY):
        self.mode, self.total, self.resumed, self.workers = mode, total, resumed, workers
        self.stream = stream or sys.stderr
        self.every = every
        self.documents = self.pages = self.passages = 0
        self.errors = errors  # inputs that failed before scoring began (not found, unhashable)
        self._bar = None

    def __enter__(self) -> Progress:
        self.started = self._last = time.perf_counter()
        done = f"; {self.resumed} already scored" if self.resumed else ""
        if self.mode == "log":
            self._line(f"scoring {self.total} document(s) with {self.workers} "
                       f"worker(s){done}")
        elif self.mode == "bar":
            self._bar = _bar_class()(total=self.total, desc="scoring", unit="doc",
                                     file=self.stream, dynamic_ncols=True, leave=True)
        return self

    def update(self, *, documents: int = 1, pages: int = 0, passages: int = 0,
               errors: int = 0) -> None:
        self.documents += documents
        self.pages += pages
        self.passages += passages
        self.errors += errors
        now = time.perf_counter()
        if self._bar is not None:
            elapsed = max(now - self.started, 1e-9)
            rates = (f"{self.pages / elapsed:.1f} pages/s, "
                     f"{self.passages / elapsed:.0f} passages/s"
                     + (f", {self.errors} error(s)" if self.errors else ""))
            self._bar.set_postfix_str(rates, refresh=False)
            self._bar.update(documents)
        elif self.mode == "log" and now - self._last >= self.every:
            self._last = now
            self._line(self.status(now))

    def status(self, now: float | None = None) -> str:
        elapsed = max((now or time.perf_counter()) - self.started, 1e-9)
        rate = self.documents / elapsed
        left = self.total - self.documents
        eta = _clock(left / rate) if rate > 0 else "unknown"
        return (f"{self.documents}/{self.total} documents ({self.errors} error(s)), "
                f"{self.pages} pages, {self.passages} passages; "
                f"{self.pages / elapsed:.1f} pages/s, {self.passages / elapsed:.1f} "
                f"passages/s; ETA {eta}")

    def __exit__(self, kind, value, traceback) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.mode == "log":
            elapsed = time.perf_counter() - self.started
            if kind is None:
                self._line(f"scored {self.documents} document(s) ({self.pages} pages, "
                           f"{self.passages} passages, {self.errors} error(s)) in "
                           f"{_clock(elapsed)}; {self.pages / max(elapsed, 1e-9):.1f} pages/s")
            else:
                self._line(f"stopped after {self.documents} of {self.total} document(s) "
                           f"({kind.__name__})")

    def _line(self, text: str) -> None:
        print(f"framingclf: {text}", file=self.stream, flush=True)
