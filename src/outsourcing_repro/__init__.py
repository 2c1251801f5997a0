"""Reproducible report for two papers on Chinese service outsourcing (服务外包).

Modules: `config` (paths), `schemas` and `dataset` (validated loading), `provenance` (quotes
against the papers), `plotting` and `present` (figures, tables, captions), `runner` (papermill
with a parameter contract), `report` (HTML and PDF assembly).
"""
__version__ = "0.1.0"
