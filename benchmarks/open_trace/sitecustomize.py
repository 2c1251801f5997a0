"""Loaded only when benchmarks/bench.py puts this folder on PYTHONPATH (in a temporary clone).

It records each file under $BENCH_TRACE_ROOT that the process reads or writes, one line each,
"r <absolute path>" or "w <absolute path>", in $BENCH_TRACE_LOG. A write is an open for writing or
the target of a rename (outputs are written to a temporary name, then renamed into place). The
benchmark runs each notebook alone with it, so it learns which notebooks really read a data file
or another notebook's output, independently of the Makefile and of the notebooks' parameters.
Without both variables it does nothing.
"""

import os
import sys

_ROOT = os.environ.get("BENCH_TRACE_ROOT")
_LOG = os.environ.get("BENCH_TRACE_LOG")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

if _ROOT and _LOG:
    _ROOT = os.path.join(os.path.abspath(_ROOT), "")
    _seen = set()
    _busy = []

    def _note(kind, path):
        try:
            full = os.path.abspath(os.fsdecode(os.fspath(path)))
        except TypeError:  # a file descriptor, not a path
            return
        if not full.startswith(_ROOT) or (kind, full) in _seen:
            return
        _seen.add((kind, full))
        _busy.append(1)  # writing the log raises an "open" event of its own
        try:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{kind} {full}\n")
        finally:
            _busy.pop()

    def _record(event, args):
        if _busy:
            return
        if event == "open" and args:
            mode, flags = (args + (None, None))[1:3]
            writes = (
                any(c in mode for c in "wax+")
                if isinstance(mode, str)
                else isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
            )
            _note("w" if writes else "r", args[0])
        elif event == "os.rename" and len(args) >= 2:
            _note("w", args[1])

    sys.addaudithook(_record)
