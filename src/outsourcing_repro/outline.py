"""The report's outline (outline.yml at the project root, config.OUTLINE_FILE), loaded and checked.

The outline is the one place that names the report's parts, their notebooks in order, and the
regression series. The Makefile's notebook rules (outsourcing_repro.makerules), the report's parts
and order (outsourcing_repro.report) and the series catalogue (outsourcing_repro.series.CATALOG)
are all read from it.

API
    load(path=config.OUTLINE_FILE) -> Outline     parsed once per path; OutlineError on bad input,
                                                   naming the file and the key (parts[2].notebooks[1].name)
    Outline.parts      tuple[Part]                in report order
    Outline.series     tuple[Series]              in the order of the combined regression table
    Outline.entries()  list[Entry]                every executed notebook, in report order
    Outline.entry(name) -> Entry                  by executed-notebook name (KeyError names the outline)
    Outline.part(id) -> Part
    Part     id, anchor, title_zh, title_en, entries: tuple[Entry]
    Entry    name        executed notebook: reports/notebooks/<name>.ipynb (Entry.executed)
             source      its text notebook, project-relative (notebooks/<notebook>.py)
             parameters  dict passed to the runner (overriding the notebook's declared defaults)
             appendix    True for material the report moves to its appendix (per-series regressions);
                         a for_each run takes its series' `appendix` where the series line sets one
             part        the id of its Part;  series: the series id of a for_each run, else None
    Series   id, data (a key of config.DATA_FILES), data_file (its project-relative path),
             appendix (True/False where the line sets it, else None),
             fields (the remaining keys: those of series.Spec, lists as given)

The file (every key is checked; an unknown key is an error, so a typo cannot be silently ignored)
    parts:                    a list of parts, each {id, anchor, title_zh, title_en, notebooks}
      notebooks:              each item is either a bare name (notebooks/<name>.py, run once with
                              its declared defaults) or a mapping:
        notebook: <stem>      the source notebooks/<stem>.py
        name: <text>          the executed notebook's name (default: the stem)
        for_each: series      one run per series, in the order of `series:`
        appendix: true|false  (default false); for a for_each run, the series' own `appendix`
                              wins where its line sets one
        parameters: {p: v}    v is a scalar, or text with placeholders {series} {data} {name}
                              {tables} {figures} (config's folders), or
                              {each_of: <stem>, parameter: <p>}: the values of <p> over every run
                              of notebooks/<stem>.py, comma-joined (a notebook that combines them)
    series:                   a list, one line each: {id, data, <series.Spec fields>}, and optionally
                              appendix: true|false, where the series' runs go (overriding the
                              for_each entry's own appendix; not passed to series.Spec)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import config


class OutlineError(ValueError):
    """The outline file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Entry:
    name: str
    source: str
    parameters: dict = field(default_factory=dict, hash=False)
    appendix: bool = False
    part: str = ""
    series: str | None = None

    @property
    def executed(self) -> str:
        return f"{config.relative(config.EXECUTED_NOTEBOOKS_DIR)}/{self.name}.ipynb"

    @property
    def stem(self) -> str:
        return Path(self.source).stem


@dataclass(frozen=True)
class Part:
    id: str
    anchor: str
    title_zh: str
    title_en: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Series:
    id: str
    data: str
    data_file: str
    fields: dict = field(default_factory=dict, hash=False)
    appendix: bool | None = None


@dataclass(frozen=True)
class Outline:
    path: Path
    parts: tuple[Part, ...]
    series: tuple[Series, ...]

    def entries(self) -> list[Entry]:
        return [e for p in self.parts for e in p.entries]

    def series_by_id(self, series_id: str) -> Series:
        for s in self.series:
            if s.id == series_id:
                return s
        raise KeyError(f"{config.relative(self.path)}: no series {series_id!r}")

    def entry(self, name: str) -> Entry:
        for e in self.entries():
            if e.name == name:
                return e
        raise KeyError(f"notebook '{name}' is not in {config.relative(self.path)}; add it under its part")

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(f"part '{part_id}' is not in {config.relative(self.path)}")


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PART_KEYS = {"id", "anchor", "title_zh", "title_en", "notebooks"}
_ENTRY_KEYS = {"notebook", "name", "for_each", "appendix", "parameters"}


def _text(value, where: str, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(where, f"expected non-empty text, got {value!r}")
    return value


def _fill(template: str, values: dict[str, str], where: str, fail) -> str:
    def one(m: re.Match) -> str:
        key = m.group(1)
        if key not in values:
            fail(
                where, f"unknown placeholder {{{key}}}; known here: " + ", ".join("{" + k + "}" for k in sorted(values))
            )
        return values[key]

    return _PLACEHOLDER.sub(one, template)


def parse(data, path: Path) -> Outline:
    """Check the parsed YAML `data` of `path` and build the Outline."""
    label = config.relative(path)

    def fail(where: str, message: str):
        raise OutlineError(f"{label}: {where}: {message}")

    if not isinstance(data, dict):
        fail("top level", "expected a mapping with keys 'parts' and 'series'")
    unknown = set(data) - {"parts", "series"}
    if unknown:
        fail(", ".join(sorted(map(str, unknown))), "unknown key(s); expected 'parts' and 'series'")

    series: list[Series] = []
    raw_series = data.get("series") or []
    if not isinstance(raw_series, list):
        fail("series", "expected a list, one series per line")
    for i, s in enumerate(raw_series):
        where = f"series[{i}]"
        if not isinstance(s, dict):
            fail(where, f"expected a mapping {{id: ..., data: ..., ...}}, got {s!r}")
        sid = _text(s.get("id"), f"{where}.id", fail)
        where = f"series[{i}] ({sid})"
        if not _NAME.match(sid):
            fail(f"{where}.id", "use lower-case letters, digits and underscores")
        if sid in {x.id for x in series}:
            fail(f"{where}.id", "listed twice")
        data_key = _text(s.get("data"), f"{where}.data", fail)
        if data_key not in config.DATA_FILES:
            fail(f"{where}.data", f"unknown data file '{data_key}'; one of: {', '.join(config.DATA_FILES)}")
        placed = s.get("appendix")
        if placed is not None and not isinstance(placed, bool):
            fail(f"{where}.appendix", f"expected true or false, got {placed!r}")
        fields = {k: v for k, v in s.items() if k not in ("id", "data", "appendix")}
        series.append(Series(sid, data_key, config.relative(config.DATA_FILES[data_key]), fields, placed))

    raw_parts = data.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts:
        fail("parts", "expected a non-empty list of parts")
    folders = {"tables": config.relative(config.TABLES_DIR), "figures": config.relative(config.FIGURES_DIR)}
    parts: list[Part] = []
    pending: list[tuple[str, str, dict]] = []  # (entry name, parameter, {each_of, parameter}) to join later
    seen: set[str] = set()
    for i, p in enumerate(raw_parts):
        where = f"parts[{i}]"
        if not isinstance(p, dict):
            fail(where, "expected a mapping {id, anchor, title_zh, title_en, notebooks}")
        for key in sorted(set(p) - _PART_KEYS):
            fail(f"{where}.{key}", f"unknown key; expected: {', '.join(sorted(_PART_KEYS))}")
        for key in sorted(_PART_KEYS - set(p)):
            fail(f"{where}.{key}", "missing")
        pid = _text(p["id"], f"{where}.id", fail)
        if pid in {x.id for x in parts}:
            fail(f"{where}.id", f"part '{pid}' listed twice")
        entries: list[Entry] = []
        if not isinstance(p["notebooks"], list) or not p["notebooks"]:
            fail(f"{where}.notebooks", "expected a non-empty list")
        for j, item in enumerate(p["notebooks"]):
            ewhere = f"{where}.notebooks[{j}]"
            if isinstance(item, str):
                item = {"notebook": item}
            if not isinstance(item, dict):
                fail(ewhere, f"expected a notebook name or a mapping, got {item!r}")
            for key in sorted(set(item) - _ENTRY_KEYS):
                fail(f"{ewhere}.{key}", f"unknown key; expected: {', '.join(sorted(_ENTRY_KEYS))}")
            stem = _text(item.get("notebook"), f"{ewhere}.notebook", fail)
            source = config.NOTEBOOKS_DIR / f"{stem}.py"
            if not source.is_file():
                fail(f"{ewhere}.notebook", f"no notebook {config.relative(source)}")
            appendix = item.get("appendix", False)
            if not isinstance(appendix, bool):
                fail(f"{ewhere}.appendix", f"expected true or false, got {appendix!r}")
            params = item.get("parameters") or {}
            if not isinstance(params, dict):
                fail(f"{ewhere}.parameters", "expected a mapping of parameter: value")
            for_each = item.get("for_each")
            if for_each not in (None, "series"):
                fail(f"{ewhere}.for_each", f"expected 'series', got {for_each!r}")
            runs = [{"series": s.id, "data": s.data_file} for s in series] if for_each else [{}]
            placed = {s.id: s.appendix for s in series if s.appendix is not None} if for_each else {}
            if for_each and not runs:
                fail(f"{ewhere}.for_each", "the outline lists no series")
            for run in runs:
                values = folders | run
                name = _fill(_text(item.get("name", stem), f"{ewhere}.name", fail), values, f"{ewhere}.name", fail)
                if not _NAME.match(name):
                    fail(f"{ewhere}.name", f"'{name}': use lower-case letters, digits and underscores")
                if name in seen:
                    fail(f"{ewhere}.name", f"notebook '{name}' listed twice")
                seen.add(name)
                values = values | {"name": name}
                filled = {}
                for key, value in params.items():
                    pwhere = f"{ewhere}.parameters.{key}"
                    if isinstance(value, dict):
                        if set(value) != {"each_of", "parameter"}:
                            fail(pwhere, "a mapping here must be {each_of: <notebook>, parameter: <name>}")
                        pending.append((name, key, value, pwhere))
                        filled[key] = None
                    elif isinstance(value, str):
                        filled[key] = _fill(value, values, pwhere, fail)
                    elif isinstance(value, (bool, int, float)):
                        filled[key] = value
                    else:
                        fail(pwhere, f"expected text, a number or true/false, got {value!r}")
                entries.append(
                    Entry(
                        name,
                        config.relative(source),
                        filled,
                        placed.get(run.get("series"), appendix),
                        pid,
                        run.get("series"),
                    )
                )
        parts.append(
            Part(
                pid,
                _text(p["anchor"], f"{where}.anchor", fail),
                _text(p["title_zh"], f"{where}.title_zh", fail),
                _text(p["title_en"], f"{where}.title_en", fail),
                tuple(entries),
            )
        )

    every = [e for p in parts for e in p.entries]
    for name, key, ref, pwhere in pending:
        runs = [e for e in every if e.stem == ref["each_of"]]
        if not runs:
            fail(f"{pwhere}.each_of", f"no notebook '{ref['each_of']}' in the outline")
        missing = [e.name for e in runs if ref["parameter"] not in e.parameters]
        if missing:
            fail(f"{pwhere}.parameter", f"'{ref['parameter']}' is not set for {', '.join(missing)}")
        entry = next(e for e in every if e.name == name)
        entry.parameters[key] = ",".join(str(e.parameters[ref["parameter"]]) for e in runs)
    return Outline(Path(path), tuple(parts), tuple(series))


@cache
def _load(path: Path) -> Outline:
    import yaml

    label = config.relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OutlineError(f"{label}: the outline file is missing") from None
    except UnicodeDecodeError as exc:
        raise OutlineError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "top level"
        raise OutlineError(f"{label}: {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return parse(data, path)


def load(path: str | Path | None = None) -> Outline:
    return _load(Path(path or config.OUTLINE_FILE).resolve())
