"""Reproducible report for two papers on Chinese service outsourcing (服务外包).

Modules: `config` (paths), `schemas` and `dataset` (validated loading), `provenance` (quotes
against the papers), `plotting` and `present` (figures, tables, captions), `runner` (papermill
with a parameter contract), `report` (HTML and PDF assembly).
"""

__version__ = "0.1.0"

import sys as _sys

# jsonschema, which nbformat imports, loads `rfc3987_syntax` eagerly, and that module builds about
# 35 Lark parsers at import: 1.5 s of CPU in every runner and report process, for the "iri" format
# checker that no notebook schema uses (python-jsonschema/jsonschema#1428 and #1392). Marking it
# absent makes jsonschema skip that one checker, as it does when the package is not installed.
# An explicit earlier import of rfc3987_syntax is left alone.
_sys.modules.setdefault("rfc3987_syntax", None)
