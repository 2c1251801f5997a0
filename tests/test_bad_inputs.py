"""Bad input fails loudly and harmlessly: the right exit code, a message that names the file, line
and column (or the notebook, cell and parameter) and says how to fix it, and a published report
that is left exactly as it was.

The corpus (tests/bad_inputs/corpus.py) derives each corrupted file from the current real one.
Every case is loaded through `python -m outsourcing_repro.dataset`'s entry point, in a temporary
folder, never in data/. A handful go through the real build (`make report`) in a temporary copy of
the project: a data error inside a notebook, a label with <script>, a missing font. Bad parameters
go through the runner's command line on the project's own notebooks; a hanging cell through a tiny
sleeping notebook.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from bad_inputs.corpus import CASES, SCRIPT_LABEL, Case, header_of, map_rows
from conftest import have_seeds

from outsourcing_repro import config, dataset, runner, runner_params

ROOT = config.PROJ_ROOT
FIG_B1 = "fig_b1_wenzhou_execution"
PAPER_B = "data/raw/paper_b_values.csv"


def _verify_build():
    spec = importlib.util.spec_from_file_location("verify_build", ROOT / "tools" / "verify_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def published(reports: Path) -> dict[str, str | None]:
    return {name: sha(reports / name) for name in ("report.html", "report.pdf")}


# -- Every corrupted file, loaded directly ----------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corrupted_file_gives_its_error(case: Case, tmp_path, capsys):
    if case.needs_papers and not have_seeds():
        pytest.skip(f"needs the papers' texts (PAPERS_DIR); not found in {config.SEEDS_DIR}")
    real = (ROOT / case.file).read_bytes()
    data, expect = case.make(real)
    assert data != real, "the corruption changed nothing"
    target = tmp_path / case.file
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    before = published(config.REPORTS_DIR)

    code = dataset.main([str(target), case.schema])
    err = capsys.readouterr().err

    if expect.ok:
        assert code == 0, err
    else:
        assert code == 1
        assert err.startswith(f"error: {target.as_posix()}"), err  # names the file first
        if expect.line is not None:
            assert f", line {expect.line}" in err, err
        else:
            assert ", line " not in err, err
        if expect.column is not None:
            assert f", column '{expect.column}'" in err, err
        with pytest.raises(dataset.DataError) as info:
            dataset.load(target, case.schema)
        problem = info.value
        assert (problem.line, problem.column) == (expect.line, expect.column), str(problem)
        assert re.search(expect.message, problem.problem), str(problem)
        assert problem.hint and re.search(expect.hint, problem.hint), str(problem)
        assert ". Fix: " in str(problem)
    assert published(config.REPORTS_DIR) == before


def test_corpus_covers_every_required_kind_of_damage():
    names = {c.name for c in CASES}
    required = {
        "gbk_encoding",
        "truncated",
        "empty",
        "missing_column",
        "extra_column",
        "wrong_type_value",
        "duplicate_key",
        "negative_amount",
        "share_over_100",
        "year_out_of_range",
        "nan_value",
        "absurd_magnitude",
        "bom",
        "html_label",
        "value_not_in_quote",
        "value_not_in_quote_mofcom",
        "value_not_in_chinese_numerals",
        "printed_not_in_quote",
        "printed_scale_wrong",
        "duplicate_row_mofcom",
        "quote_not_in_paper",
    }
    assert required <= names, required - names
    assert len(CASES) >= 20
    # Every file with quotes has a case of a value (or name) its quote does not carry.
    assert {c.file for c in CASES if "not_in_quote" in c.name or "not_in_chinese" in c.name} >= {
        "data/raw/paper_a_values.csv",
        "data/raw/paper_b_values.csv",
        "data/external/mofcom_release_values.csv",
        "data/raw/paper_a_classification.csv",
        "data/raw/paper_b_parks_platforms.csv",
    }


@pytest.mark.parametrize("name, file", [("bom", PAPER_B), ("bom_crlf", "data/external/mofcom_release_values.csv")])
def test_bom_is_accepted_and_never_misread(name, file, tmp_path):
    case = next(c for c in CASES if c.name == name)
    data, _ = case.make((ROOT / file).read_bytes())
    assert data.startswith(b"\xef\xbb\xbf")
    target = tmp_path / "with_bom.csv"
    target.write_bytes(data)
    with_bom = dataset.load(target, case.schema)
    plain = dataset.load(ROOT / file, case.schema)
    assert list(with_bom.columns) == list(plain.columns)
    assert not with_bom.columns[0].startswith("\ufeff")
    pd.testing.assert_frame_equal(with_bom, plain)


def test_a_label_with_markup_is_loaded_verbatim(tmp_path):
    """Escaping is the output's job: the data keeps the label exactly as written."""
    case = next(c for c in CASES if c.name == "html_label")
    data, _ = case.make((ROOT / PAPER_B).read_bytes())
    target = tmp_path / "label.csv"
    target.write_bytes(data)
    frame = dataset.load(target, "paper_values")
    assert SCRIPT_LABEL in set(frame["entity"])


# -- Bad parameters, through the real command line on the project's own notebooks -------------------


def _project_notebook_with(predicate) -> tuple[Path, runner_params.Declared]:
    for path in sorted(config.NOTEBOOKS_DIR.glob("*.py")):
        for declared in runner_params.declared_parameters(path).values():
            if predicate(declared):
                return path, declared
    pytest.skip("no project notebook declares such a parameter yet")


def _run_cli(notebook: Path, out: Path, *params: str, env: dict | None = None, timeout_flag=None):
    command = [sys.executable, "-m", "outsourcing_repro.runner", str(notebook), str(out)]
    for i in range(0, len(params), 2):
        command += ["-p", params[i], params[i + 1]]
    if timeout_flag is not None:
        command += ["--timeout", str(timeout_flag)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})})


def _bad_parameter(kind: str):
    if kind == "unknown name":
        path = config.NOTEBOOKS_DIR / f"{FIG_B1}.py"
        return path, ("valuez", "x"), [r"unknown parameter 'valuez'", r"It takes: values: str"]
    if kind == "wrong type":
        path, d = _project_notebook_with(lambda d: d.type in ("int", "float"))
        return path, (d.name, "twenty"), [rf"parameter '{d.name}' expects {d.type}, got 'twenty'"]
    if kind == "out of range":
        path, d = _project_notebook_with(lambda d: d.type == "int" and d.low is not None)
        value = str(int(d.high) + 100)
        return (
            path,
            (d.name, value),
            [
                rf"parameter '{d.name}' = {value} is out of range; expected "
                rf"{d.low:g}\.\.{d.high:g}"
            ],
        )
    if kind == "not one of":
        path, d = _project_notebook_with(lambda d: bool(d.choices))
        return (
            path,
            (d.name, "no_such_choice"),
            [
                rf"parameter '{d.name}' = 'no_such_choice' is not allowed; "
                rf"expected one of: {re.escape(d.choices[0])}"
            ],
        )
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["unknown name", "wrong type", "out of range", "not one of"])
def test_bad_parameter_on_a_project_notebook_fails_before_a_kernel_starts(kind, tmp_path):
    notebook, (name, value), patterns = _bad_parameter(kind)
    out = tmp_path / "out.ipynb"
    before = published(config.REPORTS_DIR)
    started = time.perf_counter()
    result = _run_cli(notebook, out, name, value)
    assert result.returncode == 2, result.stderr
    assert f"error: bad parameter: notebooks/{notebook.name}: " in result.stderr
    for pattern in patterns:
        assert re.search(pattern, result.stderr), result.stderr
    assert not out.exists()
    assert time.perf_counter() - started < 20  # no kernel was started
    assert published(config.REPORTS_DIR) == before


def test_a_parameter_given_twice_is_refused(tmp_path):
    notebook = config.NOTEBOOKS_DIR / f"{FIG_B1}.py"
    result = _run_cli(notebook, tmp_path / "o.ipynb", "values", PAPER_B, "values", PAPER_B)
    assert result.returncode == 2
    assert "parameter 'values' given twice" in result.stderr


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_timeout_setting_is_refused_not_ignored(value, tmp_path):
    notebook = config.NOTEBOOKS_DIR / f"{FIG_B1}.py"
    result = _run_cli(notebook, tmp_path / "o.ipynb", env={"NOTEBOOK_TIMEOUT": value})
    assert result.returncode == 2
    assert f"NOTEBOOK_TIMEOUT={value!r}: expected a positive whole number of seconds" in result.stderr


# -- Failing and hanging notebooks (a kernel runs) ---------------------------------------------------

SLEEPER = textwrap.dedent("""\
    # %% [markdown]
    # ### 测试 · A notebook that hangs

    # %% tags=["parameters"]
    seconds: float = 60  # how long the last cell sleeps; range: 0..600

    # %%
    import time

    # %%
    print("about to sleep")
    time.sleep(seconds)
""")

FAILER = textwrap.dedent("""\
    # %% [markdown]
    # ### 测试 · A notebook that raises

    # %% tags=["parameters"]
    divisor: int = 0  # range: 0..10

    # %%
    numerator = 1

    # %%
    print("dividing")
    ratio = numerator / divisor
""")


@pytest.fixture()
def probe(tmp_path):
    """A throw-away notebook under a unique name; its kept failure is removed afterwards."""
    made = []

    def make(source: str) -> tuple[Path, Path]:
        name = f"probe_{os.getpid()}_{len(made)}"
        path = tmp_path / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        made.append(name)
        return path, tmp_path / f"{name}.ipynb"

    yield make
    for name in made:
        (config.BUILD_DIR / "failed" / f"{name}.ipynb").unlink(missing_ok=True)


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_hanging_cell_is_stopped_at_the_timeout(how, probe):
    notebook, out = probe(SLEEPER)
    started = time.perf_counter()
    if how == "flag":  # the flag wins over the environment
        result = _run_cli(notebook, out, env={"NOTEBOOK_TIMEOUT": "600"}, timeout_flag=2)
    else:
        result = _run_cli(notebook, out, env={"NOTEBOOK_TIMEOUT": "2"})
    elapsed = time.perf_counter() - started
    assert result.returncode == runner.EXIT_TIMEOUT, result.stderr
    assert elapsed < 45, f"took {elapsed:.0f} s; the 60 s sleep was not cut short"
    source = SLEEPER.splitlines()
    line = source.index("time.sleep(seconds)") + 1
    marker = max(i for i, text in enumerate(source[:line], 1) if text.startswith("# %%"))
    # The line of the sleeping call when the interrupted kernel left a traceback, else the cell's.
    assert re.search(
        rf"{re.escape(notebook.name)}, cell 4 \((line {line}|starting line {marker})\): timed out", result.stderr
    ), result.stderr
    assert "timed out after 2 s" in result.stderr
    kept = config.BUILD_DIR / "failed" / f"{out.stem}.ipynb"
    assert kept.exists() and not out.exists()
    assert "about to sleep" in kept.read_text(encoding="utf-8")


@pytest.mark.e2e
def test_an_exception_names_notebook_cell_line_and_error_and_keeps_the_traceback(probe):
    notebook, out = probe(FAILER)
    result = _run_cli(notebook, out)
    assert result.returncode == 1
    line = FAILER.splitlines().index("ratio = numerator / divisor") + 1
    assert re.search(
        rf"error: notebook failed: .*{re.escape(notebook.name)}, cell 4 \(line {line}\): "
        r"ZeroDivisionError: division by zero",
        result.stderr,
    ), result.stderr
    kept = config.BUILD_DIR / "failed" / f"{out.stem}.ipynb"
    assert f"kept in {config.relative(kept)}" in result.stderr
    assert not out.exists()
    outputs = [o for c in json.loads(kept.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "ZeroDivisionError" and errors[0]["traceback"]


# -- Through the real build, in a temporary copy of the project ----------------------------------------


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A copy of the project with a good report built from Paper B's figure 1 (quick, and independent
    of notebooks that other parts of the report add)."""
    vb = _verify_build()
    copy = vb.copy_project(tmp_path_factory.mktemp("bad-inputs") / "project")
    result = vb.build(copy, only=[FIG_B1], quiet=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert published(copy / "reports")["report.html"]
    return vb, copy


def _make_in(built, **kw):
    vb, copy = built
    return vb.build(copy, only=[FIG_B1], quiet=True, **kw)


@pytest.fixture()
def corrupt(built_copy):
    """Swap a file of the copy for other bytes; put the original back afterwards."""
    _, copy = built_copy
    saved = {}

    def swap(relative: str, data: bytes | None):
        path = copy / relative
        saved.setdefault(relative, path.read_bytes())
        if data is None:
            path.unlink()
        else:
            path.write_bytes(data)

    yield swap
    for relative, data in saved.items():
        (copy / relative).write_bytes(data)


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["gbk_encoding", "negative_amount", "truncated", "value_not_in_quote"])
def test_bad_data_stops_the_build_and_leaves_the_report_alone(name, built_copy, corrupt):
    _, copy = built_copy
    case = next(c for c in CASES if c.name == name)
    data, expect = case.make((copy / case.file).read_bytes())
    before = published(copy / "reports")
    corrupt(case.file, data)

    result = _make_in(built_copy)

    assert result.returncode != 0
    err = result.stderr
    where = f"DataError: {case.file}, line {expect.line}" + (f", column '{expect.column}'" if expect.column else "")
    assert re.search(
        rf"error: notebook failed: notebooks/{FIG_B1}\.py, cell \d+ \(line \d+\): "
        rf"{re.escape(where)}: ",
        err,
    ), err
    assert ". Fix: " in err
    assert f"kept in build/failed/{FIG_B1}.ipynb" in err
    kept = json.loads((copy / "build" / "failed" / f"{FIG_B1}.ipynb").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "DataError" for c in kept["cells"] for o in c.get("outputs", []))
    assert "outsourcing_repro.report" not in result.stdout  # the report step never ran
    assert published(copy / "reports") == before


SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)


@pytest.mark.e2e
def test_a_label_with_script_is_shown_escaped_and_never_runs(built_copy, corrupt):
    _, copy = built_copy
    pages = [copy / "reports" / "report.html", copy / "reports" / "notebooks" / f"{FIG_B1}.html"]
    # The report carries its own search script; whatever else the label adds must not be a script.
    own_scripts = {page.name: SCRIPT_ELEMENT.findall(page.read_text(encoding="utf-8")) for page in pages}
    real = (copy / PAPER_B).read_bytes()
    # Every section of Paper B carries the label, so whatever the figure cites shows it.
    col = header_of(real).index("section")
    data = map_rows(real, lambda r: r if r[0] == "value_id" else r[:col] + [r[col] + SCRIPT_LABEL] + r[col + 1 :])
    corrupt(PAPER_B, data)
    result = _make_in(built_copy)
    assert result.returncode == 0, result.stderr[-3000:]
    # The quotes may come out as ' or &#x27; (nbconvert re-serialises the HTML); the brackets may not.
    escaped = re.compile(r"温州&lt;script&gt;alert\((&#x27;|')x(&#x27;|')\)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt;")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert escaped.search(text), page.name
        assert SCRIPT_ELEMENT.findall(text) == own_scripts[page.name], f"{page.name} gained a script element"
        assert "alert(" not in "".join(own_scripts[page.name])
        assert "<b>粗体</b>" not in text
    from pypdf import PdfReader

    pdf_text = "".join(p.extract_text() or "" for p in PdfReader(copy / "reports" / "report.pdf").pages)
    assert "<script>alert" in pdf_text.replace(" ", "")  # shown as text, not swallowed as markup


@pytest.mark.e2e
def test_a_missing_font_stops_every_step_with_a_fix(built_copy, corrupt):
    vb, copy = built_copy
    font = "src/outsourcing_repro/fonts/NotoSansSC-Subset.otf"
    before = published(copy / "reports")
    corrupt(font, None)
    env = vb.build_env(copy)

    made = _make_in(built_copy)  # make: the font is a prerequisite of every notebook
    assert made.returncode != 0
    assert "NotoSansSC-Subset.otf" in made.stderr

    nb = subprocess.run(
        [sys.executable, "-m", "outsourcing_repro.runner", f"notebooks/{FIG_B1}.py", "/tmp/never-written.ipynb"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert nb.returncode == 1
    assert re.search(
        rf"notebooks/{FIG_B1}\.py, cell \d+ \(line \d+\): FontError: CJK font missing: "
        rf"{re.escape(font)}\. Restore it with `git checkout -- src/outsourcing_repro/fonts/`",
        nb.stderr,
    ), nb.stderr

    rep = subprocess.run(
        [sys.executable, "-m", "outsourcing_repro.report", f"reports/notebooks/{FIG_B1}.ipynb"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert rep.returncode == 1
    assert f"CJK font missing: {font}" in rep.stderr
    assert published(copy / "reports") == before


def test_the_corpus_readme_lists_every_case():
    readme = (ROOT / "tests" / "bad_inputs" / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", readme, re.M)
    assert listed == [c.name for c in CASES]
    assert len(set(listed)) == len(listed)
