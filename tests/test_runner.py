"""The parameter contract: unknown names, wrong types and out-of-range values fail before a kernel."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from outsourcing_repro import config, runner

NOTEBOOK = textwrap.dedent('''\
    # %% [markdown]
    # ### Title

    # %% tags=["parameters"]
    values: str = "data/raw/x.csv"  # input
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
