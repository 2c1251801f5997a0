"""The parameter contract: unknown names, wrong types and out-of-range values fail before a kernel."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import nbformat
import pytest

from outsourcing_repro import config, runner

NOTEBOOK = textwrap.dedent('''\
    # %% [markdown]
    # ### Title

    # %% tags=["parameters"]
    values: str = "data/raw/x.csv"  # input: what it reads
    start_year: int = 2013  # range: 2013..2017
    cov_type: str = "HC1"  # one of: nonrobust, HC1, HC3

    # %%
    print(values, start_year, cov_type)
''')


@pytest.fixture()
def nb(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text(NOTEBOOK, encoding="utf-8")
    return path


def test_declared_parameters_are_read_with_types_and_constraints(nb):
    declared = runner.declared_parameters(nb)
    assert list(declared) == ["values", "start_year", "cov_type"]
    assert declared["start_year"].type == "int"
    assert (declared["start_year"].low, declared["start_year"].high) == (2013, 2017)
    assert declared["cov_type"].choices == ("nonrobust", "HC1", "HC3")


def test_valid_parameters_are_coerced(nb):
    out = runner.coerce(runner.declared_parameters(nb), {"start_year": "2014", "cov_type": "HC3"}, "demo")
    assert out == {"start_year": 2014, "cov_type": "HC3"}


@pytest.mark.parametrize("given, expected", [
    ({"start_yaer": "2014"}, "unknown parameter 'start_yaer'"),
    ({"start_year": "twenty"}, "parameter 'start_year' expects int, got 'twenty'"),
    ({"start_year": "1999"}, "parameter 'start_year' = 1999 is out of range; expected 2013..2017"),
    ({"cov_type": "HC9"}, "parameter 'cov_type' = 'HC9' is not allowed; expected one of: nonrobust, HC1, HC3"),
])
def test_bad_parameters_name_the_parameter_and_what_was_expected(nb, given, expected):
    with pytest.raises(runner.ParameterError) as info:
        runner.coerce(runner.declared_parameters(nb), given, "demo")
    assert expected in str(info.value)


def test_cli_exits_non_zero_on_a_bad_parameter_without_starting_a_kernel(nb, tmp_path):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "outsourcing_repro.runner", str(nb), str(out), "-p", "start_year", "2099"],
        capture_output=True, text=True, cwd=config.PROJ_ROOT,
    )
    assert result.returncode == 2
    assert "parameter 'start_year' = 2099 is out of range" in result.stderr
    assert not out.exists()


def test_every_project_notebook_declares_a_valid_parameters_cell():
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("*.py"))
    assert notebooks
    for path in notebooks:
        declared = runner.declared_parameters(path)
        assert declared, f"{path.name} declares no parameters"


@pytest.mark.e2e
def test_notebooks_started_at_once_each_talk_to_their_own_kernel(nb, tmp_path):
    """Under `make -j` two runners start kernels at the same moment. Each kernel listens on Unix
    sockets in its runner's private folder, so neither can receive the other's messages (with one
    shared socket path the kernels reject each other's signatures, and TCP ports can collide)."""
    years = (2014, 2016)
    procs = [subprocess.Popen(
        [sys.executable, "-m", "outsourcing_repro.runner", str(nb), str(tmp_path / f"out{year}.ipynb"),
         "-p", "start_year", str(year)],
        cwd=config.PROJ_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for year in years]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for year, (proc, _out, err) in zip(years, results):
        assert proc.returncode == 0, err
        assert "Invalid Signature" not in err and "without encryption" not in err, err
        executed = nbformat.read(tmp_path / f"out{year}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        assert f"data/raw/x.csv {year} HC1" in printed


def test_kernel_sockets_fall_back_to_tcp_when_the_folder_path_is_too_long():
    assert runner._kernel_manager("/tmp/osr-kernel-abc") != {}
    manager = runner._kernel_manager("/tmp/osr-kernel-abc")["kernel_manager_class"]()
    assert manager.transport == "ipc" and manager.ip == "/tmp/osr-kernel-abc/kernel"
    assert runner._kernel_manager("/tmp/" + "x" * 100) == {}
