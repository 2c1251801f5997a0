"""Loaded only when benchmarks/bench.py puts this folder on PYTHONPATH (a child of the benchmark,
in a temporary clone). It records each file under $BENCH_TRACE_ROOT that the process opens, one
absolute path per line, in $BENCH_TRACE_LOG. The benchmark runs each notebook alone with it, so it
learns which notebooks really read a data file, independently of the Makefile and of the
notebooks' parameters. Without both variables it does nothing.
"""
import os
import sys

_ROOT = os.environ.get("BENCH_TRACE_ROOT")
_LOG = os.environ.get("BENCH_TRACE_LOG")

if _ROOT and _LOG:
    _ROOT = os.path.join(os.path.abspath(_ROOT), "")
    _seen = set()
    _busy = []

    def _record_open(event, args):
        if event != "open" or not args or _busy:
            return
        try:
            path = os.fsdecode(os.fspath(args[0]))
        except TypeError:  # a file descriptor, not a path
            return
        full = os.path.abspath(path)
        if full.startswith(_ROOT) and full not in _seen:
            _seen.add(full)
            _busy.append(1)  # writing the log raises an "open" event of its own
            try:
                with open(_LOG, "a", encoding="utf-8") as log:
                    log.write(full + "\n")
            finally:
                _busy.pop()

    sys.addaudithook(_record_open)
