"""Two clean builds of the same inputs give the same bytes, file by file.

The builds (tests/clean_builds.py) differ in folder, time zone, locale and network; a difference in
any output means a path, a clock, a random id or the host leaked into it. Builds under different
OpenBLAS kernels (OPENBLAS_CORETYPE) must give the same bytes too
(test_every_openblas_kernel_gives_the_same_bytes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from clean_builds import clean_builds, failure_text, verify_build
from pypdf import PdfReader

from outsourcing_repro import config

vb = verify_build()


@pytest.fixture(scope="module")
def builds():
    one, two = clean_builds()
    assert one.result.returncode == 0, failure_text(one)
    assert two.result.returncode == 0, failure_text(two)
    return one, two


@pytest.mark.e2e
def test_two_clean_builds_are_byte_identical(builds):
    one, two = builds
    first, second = vb.report_files(one.reports), vb.report_files(two.reports)
    assert {"report.html", "report.pdf", "SHA256SUMS"} <= set(first)
    assert any(name.startswith("notebooks/") and name.endswith(".ipynb") for name in first)
    assert any(name.startswith("figures/") and name.endswith(".png") for name in first)
    assert vb.compare(first, second) == []
    assert (one.reports / "SHA256SUMS").read_bytes() == (two.reports / "SHA256SUMS").read_bytes()


@pytest.mark.e2e
def test_sha256sums_lists_every_generated_file_with_its_hash(builds):
    one, _ = builds
    listed = {}
    for line in (one.reports / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {k: v for k, v in vb.report_files(one.reports).items() if k != "SHA256SUMS"}
    assert listed == on_disk


@pytest.mark.e2e
def test_no_build_folder_or_machine_path_leaks_into_an_output(builds):
    one, two = builds
    # The two build folders, this checkout, the virtualenv and the home folder.
    needles = [str(one.folder), str(two.folder), str(config.PROJ_ROOT), sys.prefix, str(Path.home()) + "/"]
    for build in (one, two):
        for path in sorted(build.reports.rglob("*")):
            if path.is_file() and path.suffix in (".ipynb", ".html", ".svg", ".csv", ".pdf"):
                text = path.read_bytes().decode("utf-8", errors="replace")
                leaked = [n for n in needles if n in text]
                assert not leaked, f"{path.relative_to(build.folder)} contains {leaked}"


@pytest.mark.e2e
def test_the_report_date_is_the_source_date_not_the_clock(builds):
    one, _ = builds
    date = dt.datetime.fromtimestamp(config.source_date_epoch(), dt.timezone.utc)
    html = (one.reports / "report.html").read_text(encoding="utf-8")
    assert (
        f'name="dcterms.created" content="{date:%Y-%m-%d}"' in html
        or f'content="{date:%Y-%m-%d}" name="dcterms.created"' in html
    )
    pdf = PdfReader(one.reports / "report.pdf")
    assert pdf.metadata["/CreationDate"].startswith(f"D:{date:%Y%m%d}")
    assert "/ID" not in pdf.trailer  # a PDF file identifier would be random
    today = dt.date.today()
    if today != date.date():
        assert f"{today:%Y-%m-%d}" not in html


# -- Same bytes under every OpenBLAS kernel ------------------------------------------------------------


def blas_core(coretype: str | None) -> str:
    """The kernel OpenBLAS takes with this OPENBLAS_CORETYPE (None: the machine's own), as it reports it."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env["OPENBLAS_VERBOSE"] = "2"
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    # The kernels load lazily: multiply and invert something, as a fit does, to see whether they run.
    work = "import numpy as np; a = np.ones((64, 64)); a @ a; np.linalg.pinv(np.eye(8)[:, :3])"
    probe = subprocess.run([sys.executable, "-c", work], env=env, capture_output=True, text=True)
    if probe.returncode != 0:  # e.g. SkylakeX kernels on a CPU without AVX-512: illegal instruction
        return ""
    found = re.search(r"Core: (\S+)", probe.stderr)
    return found.group(1) if found else ""


def kernels() -> dict[str, dict[str, str]]:
    """One environment per distinct kernel among the machine's own, Haswell (FMA), Prescott (SSE3, no
    FMA) and SkylakeX (AVX-512, where the CPU has it): {kernel name: extra environment}."""
    chosen = {blas_core(None) or "default": {}}
    for coretype in ("Haswell", "Prescott", "SkylakeX"):
        core = blas_core(coretype)
        if core and core not in chosen:
            chosen[core] = {"OPENBLAS_CORETYPE": coretype}
    return chosen


# A full build under Haswell and Prescott kernels differed only in the growth regressions' outputs
# (CSVs, figures, their notebooks and the report that embeds them; measured for issue 16): they are
# the BLAS-sensitive part. Every number of all twelve series is compared in one quick run per kernel;
# three notebooks (the example, Paper B's series, the worst-conditioned one) are built in full.
REGRESSION_NUMBERS = """
import json, sys
from outsourcing_repro import regression, series, tables_regression
out = {}
for sid in series.CATALOG:
    data, _ = series.load_files(sid, paper_a_values="data/raw/paper_a_values.csv",
                                paper_b_values="data/raw/paper_b_values.csv",
                                mofcom="data/external/mofcom_release_values.csv")
    values, stated = data.values, data.stated
    result = regression.fit(values, "HC3", stated)
    out[sid] = {"summary": result.row()}
    if result.fitted:
        out[sid]["years"] = tables_regression.year_table(result, data.sources).to_dict("list")
        out[sid]["inference"] = tables_regression.inference_table(result).to_dict("list")
json.dump(out, sys.stdout, sort_keys=True, default=repr)
"""
BLAS_SENSITIVE = [
    "reg_growth_national_offshore_contract_cny",
    "reg_growth_wenzhou_offshore_execution",
    "reg_growth_national_employment_stock",
]


def test_every_openblas_kernel_gives_the_same_regression_numbers():
    chosen = kernels()
    if len(chosen) < 2:
        pytest.skip(f"OpenBLAS offers only one kernel here ({', '.join(chosen)})")
    dumps = {}
    for core, extra in chosen.items():
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"} | extra
        run = subprocess.run(
            [sys.executable, "-c", REGRESSION_NUMBERS], cwd=config.PROJ_ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr[-3000:]
        dumps[core] = run.stdout
    first, *others = chosen
    assert '"growth_pct"' in dumps[first] and dumps[first].count('"log-linear trend"') >= 10
    for core in others:
        assert dumps[core] == dumps[first], f"{first} and {core} differ"


@pytest.mark.e2e
def test_every_openblas_kernel_gives_the_same_bytes():
    chosen = kernels()
    if len(chosen) < 2:
        pytest.skip(f"OpenBLAS offers only one kernel here ({', '.join(chosen)})")
    work = Path(tempfile.mkdtemp(prefix="kernels-"))
    base = vb.copy_project(work / "base")
    copies = {}
    for core in chosen:
        copies[core] = work / f"build-{core}"
        shutil.copytree(base, copies[core])

    def build(core):
        return vb.build(copies[core], env_extra=chosen[core], target="notebooks", only=BLAS_SENSITIVE, quiet=True)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(zip(chosen, pool.map(build, chosen)))
        outputs = {}
        for core, result in results.items():
            assert result.returncode == 0, f"{core}: {result.stderr[-3000:]}"
            outputs[core] = vb.report_files(copies[core] / "reports")
        first, *others = chosen
        built = {
            f"{folder}/{n}{suffix}"
            for n in BLAS_SENSITIVE
            for folder, suffix in (
                ("figures", ".png"),
                ("figures", ".svg"),
                ("tables", ".csv"),
                ("notebooks", ".ipynb"),
            )
        }
        assert built <= set(outputs[first]), built - set(outputs[first])
        for core in others:
            assert vb.compare(outputs[first], outputs[core]) == [], f"{first} vs {core}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- The comparison logic of tools/verify_build.py (no build) ------------------------------------


def test_compare_lists_changed_missing_and_extra_files():
    expected = {"a": "1", "b": "2", "c": "3"}
    actual = {"a": "1", "b": "x", "d": "4"}
    assert vb.compare(expected, actual) == [
        "differs: b",
        "missing from the clean build: c",
        "only in the clean build: d",
    ]
    assert vb.compare(expected, dict(expected)) == []


def test_report_files_hashes_every_generated_file_and_skips_dotfiles(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "x.png").write_bytes(b"png")
    (tmp_path / "figures" / ".gitignore").write_text("*\n")
    (tmp_path / "report.html").write_text("<p>", encoding="utf-8")
    assert vb.report_files(tmp_path) == {
        "figures/x.png": hashlib.sha256(b"png").hexdigest(),
        "report.html": hashlib.sha256(b"<p>").hexdigest(),
    }


def test_the_copy_holds_tracked_and_new_files_but_no_outputs():
    files = vb.project_files()
    assert "Makefile" in files and "src/outsourcing_repro/runner.py" in files
    assert not [f for f in files if re.match(r"reports/.*\.(html|pdf|ipynb|png)$", f)]
    assert not [f for f in files if f.startswith((".venv/", "build/"))]


def test_make_command_uses_this_virtualenv_and_never_runs_setup():
    command = vb.make_command("report", vb.VENV, only=["fig_b1_wenzhou_execution"])
    assert command[:2] == ["make", "report"]
    assert f"BIN={vb.VENV / 'bin'}" in command
    setup = str(vb.VENV / ".setup-done")
    assert command[command.index("-o") + 1] == setup
    assert "NOTEBOOKS=reports/notebooks/fig_b1_wenzhou_execution.ipynb" in command


# -- What the runner strips from an executed notebook (no kernel) --------------------------------


def _notebook_with(html_text: str, stream_text: str = ""):
    import nbformat

    outputs = [nbformat.v4.new_output("display_data", data={"text/html": html_text})]
    if stream_text:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=stream_text))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=outputs)])
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00"}
    nb.cells[0].metadata["papermill"] = {"duration": 1.234}
    nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
    return nb


def test_two_pandas_stylers_normalise_to_the_same_html():
    import pandas as pd

    from outsourcing_repro import runner

    frame = pd.DataFrame({"value": [1.0, 2.0]})
    first, second = (frame.style.highlight_max().to_html() for _ in range(2))
    assert first != second  # pandas stamps a random id into each
    nb1, nb2 = _notebook_with(first), _notebook_with(second)
    runner.normalise(nb1, "demo")
    runner.normalise(nb2, "demo")
    assert nb1.cells[0].outputs[0].data["text/html"] == nb2.cells[0].outputs[0].data["text/html"]
    assert 'id="T_c000n0"' in nb1.cells[0].outputs[0].data["text/html"]


def test_normalise_drops_timings_and_machine_paths():
    from outsourcing_repro import runner

    warning = f"{sys.prefix}/lib/site-packages/pandas/x.py:1: FutureWarning\n{config.PROJ_ROOT}/notebooks/a.py"
    nb = _notebook_with("<p>ok</p>", warning)
    runner.normalise(nb, "demo")
    cell = nb.cells[0]
    assert "papermill" not in nb.metadata
    assert "papermill" not in cell.metadata and "execution" not in cell.metadata
    assert cell["id"] == "demo-000"
    assert cell.outputs[1].text == "<venv>/lib/site-packages/pandas/x.py:1: FutureWarning\n<project>/notebooks/a.py"


def test_the_report_font_subset_carries_no_clock(monkeypatch):
    """fontTools stamps the save time into a font's head table unless told not to; a second apart,
    two subsets of the same text must still be the same bytes (SOURCE_DATE_EPOCH unset, so the code
    itself must not depend on it)."""
    import time

    from outsourcing_repro import report_render

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = report_render.font_data_url("温州离岸服务外包")
    time.sleep(1.1)
    assert report_render.font_data_url("温州离岸服务外包") == first


def test_displayed_items_have_a_text_form_without_a_memory_address():
    # IPython stores an object's repr as text/plain beside its HTML; a default repr ("<... at 0x7f..>")
    # differs from process to process, so two builds of the same notebook would differ.
    import re

    from outsourcing_repro import present

    item = present.Item("<figure></figure>", {"kind": "figure", "id": "fig-b1"})
    note = present.Block("<p>x</p>")
    for shown in (item, note):
        assert not re.search(r"0x[0-9a-f]{6,}", repr(shown)), repr(shown)
    assert repr(item) == "<figure fig-b1>"
