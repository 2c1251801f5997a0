"""The outline (outline.yml): one declaration of the parts, notebooks and series, and what is
derived from it (make rules, the report's order, the series catalogue)."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import yaml

from outsourcing_repro import config, makerules, outline, runner_params

RAW = yaml.safe_load(config.OUTLINE_FILE.read_text(encoding="utf-8"))


def parse(data):
    return outline.parse(data, config.OUTLINE_FILE)


def test_every_notebook_source_is_in_the_outline_and_every_name_once():
    found = outline.load()
    names = [e.name for e in found.entries()]
    assert len(names) == len(set(names))
    sources = {e.source for e in found.entries()}
    on_disk = {config.relative(p) for p in config.NOTEBOOKS_DIR.glob("*.py")}
    assert sources == on_disk, "a notebook not in the outline is never built"
    assert [p.id for p in found.parts] == ["A", "B", "R", "C"]


def test_per_series_regressions_are_appendix_material_except_wenzhou_and_follow_the_series_order():
    found = outline.load()
    runs = [e for e in found.entries() if e.stem == "reg_growth"]
    assert [e.series for e in runs] == [s.id for s in found.series]
    # Issue 14 item 4: Part III's text carries the combined table and the Wenzhou fit; the other
    # series' detail is appendix material.
    assert [e.series for e in runs if not e.appendix] == ["wenzhou_offshore_execution"]
    assert not any(e.appendix for e in found.entries() if e.stem != "reg_growth")
    wenzhou = found.entry("reg_growth_wenzhou_offshore_execution")
    main_text = [e.name for e in found.part("R").entries if not e.appendix]
    assert main_text == ["tab_r1_growth_regressions", wenzhou.name]
    assert wenzhou.parameters["data"] == "data/raw/paper_b_values.csv"
    assert wenzhou.parameters["results"] == "reports/tables/reg_growth_wenzhou_offshore_execution.csv"


def test_adding_a_series_is_one_line():
    data = copy.deepcopy(RAW)
    line = dict(data["series"][-1], id="national_new_hires_copy")
    data["series"].append(line)
    found = parse(data)
    new = found.entry("reg_growth_national_new_hires_copy")
    assert new.part == "R" and new.appendix
    # The series line's own `appendix` places its run, and is no field of series.Spec.
    placed = parse(copy.deepcopy(data) | {"series": [*data["series"][:-1], dict(line, appendix=False)]})
    assert not placed.entry("reg_growth_national_new_hires_copy").appendix
    assert "appendix" not in placed.series[-1].fields
    placed = parse(copy.deepcopy(RAW) | {"series": [dict(RAW["series"][0], appendix=True), *RAW["series"][1:]]})
    assert placed.entry("reg_growth_wenzhou_offshore_execution").appendix
    combined = found.entry("tab_r1_growth_regressions").parameters["results"].split(",")
    assert combined[-1] == "reports/tables/reg_growth_national_new_hires_copy.csv"
    assert len(combined) == len(RAW["series"]) + 1
    text = makerules.rules(found, config.BUILD_DIR / "test-args")
    assert "reports/notebooks/reg_growth_national_new_hires_copy.ipynb " in text


def test_adding_a_notebook_is_one_line(tmp_path):
    data = copy.deepcopy(RAW)
    data["parts"][1]["notebooks"].append({"notebook": "tab_b4_zhejiang", "name": "tab_b4_again"})
    found = parse(data)
    assert [e.name for e in found.part("B").entries][-1] == "tab_b4_again"
    text = makerules.rules(found, tmp_path)
    rule = next(line for line in text.splitlines() if line.startswith("reports/notebooks/tab_b4_again.ipynb"))
    assert "$(STAMPS)/data/raw/paper_b_values.csv.sha256" in rule
    assert (tmp_path / "tab_b4_again.args").exists()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["parts"][0].update(colour="red"), "outline.yml: parts[0].colour: unknown key"),
        (
            lambda d: d["parts"][0]["notebooks"].append("no_such_notebook"),
            "parts[0].notebooks[6].notebook: no notebook notebooks/no_such_notebook.py",
        ),
        (
            lambda d: d["parts"][0]["notebooks"].append("fig_a1_new_employees"),
            "parts[0].notebooks[6].name: notebook 'fig_a1_new_employees' listed twice",
        ),
        (
            lambda d: d["series"][0].update(data="paper_c"),
            "series[0] (wenzhou_offshore_execution).data: unknown data file 'paper_c'",
        ),
        (
            lambda d: d["parts"][2]["notebooks"][1]["parameters"].update(figure="{figurs}/x.png"),
            "parts[2].notebooks[1].parameters.figure: unknown placeholder {figurs}",
        ),
        (
            lambda d: d["parts"][2]["notebooks"][0]["parameters"]["results"].update(each_of="reg_grwoth"),
            "parameters.results.each_of: no notebook 'reg_grwoth' in the outline",
        ),
        (lambda d: d["parts"][3].pop("anchor"), "parts[3].anchor: missing"),
        (
            lambda d: d["series"][1].update(appendix="yes"),
            "series[1] (paper_a_contract_per_employee).appendix: expected true or false, got 'yes'",
        ),
    ],
)
def test_a_bad_outline_names_the_file_and_the_key(edit, message):
    data = copy.deepcopy(RAW)
    edit(data)
    with pytest.raises(outline.OutlineError) as info:
        parse(data)
    assert message in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    bad = tmp_path / "outline.yml"
    bad.write_text("parts:\n  - id: A\n    anchor: [unclosed\n", encoding="utf-8")
    with pytest.raises(outline.OutlineError, match=r"outline.yml: line \d+, column \d+: not valid YAML"):
        outline.load(bad)


def test_a_parameter_the_notebook_does_not_declare_stops_the_rules(tmp_path):
    data = copy.deepcopy(RAW)
    data["parts"][3]["notebooks"] = [{"notebook": "audit_claims", "parameters": {"ledgr": "x.csv"}}]
    with pytest.raises(outline.OutlineError, match=r"notebooks/audit_claims\.py has no parameter 'ledgr'"):
        makerules.rules(parse(data), tmp_path)


def test_rules_list_each_declared_input_and_output():
    """Targets and prerequisites come from the roles in the parameters cell, read here by hand."""
    text = makerules.rules(outline.load(), config.BUILD_DIR / "args")
    rule = next(line for line in text.splitlines() if line.startswith("reports/notebooks/fig_b2_parks_platforms.ipynb"))
    targets, prereqs = rule.split(" &: ")
    assert targets.split() == [
        "reports/notebooks/fig_b2_parks_platforms.ipynb",
        "reports/figures/fig_b2_parks_platforms.png",
        "reports/tables/fig_b2_parks_platforms.csv",
    ]
    for path in [
        "notebooks/fig_b2_parks_platforms.py",
        "data/raw/paper_b_values.csv",
        "data/raw/paper_b_parks_platforms.csv",
    ]:
        assert f"$(STAMPS)/{path}.sha256" in prereqs
    combined = next(
        line for line in text.splitlines() if line.startswith("reports/notebooks/tab_r1_growth_regressions")
    )
    assert "$(STAMPS)/reports/tables/reg_growth_national_new_hires.csv.sha256" in combined


RUNTIME_IMPORTS = """
import ast, sys
source = open(sys.argv[1], encoding="utf-8").read()
tree = ast.parse(source)
before = set(sys.modules)
for node in tree.body:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        exec(compile(ast.Module([node], []), "nb", "exec"), {})
print(" ".join(sorted(m.split(".")[1] for m in set(sys.modules) - before
                      if m.startswith("outsourcing_repro.") and m.count(".") == 1)))
"""


@pytest.mark.parametrize("name", ["fig_b1_wenzhou_execution", "tab_a3_classification", "reg_growth", "audit_claims"])
def test_traced_imports_cover_every_module_the_notebook_actually_loads(name):
    """Independent of the tracer: import what the notebook imports in a fresh interpreter and
    list the package modules that end up loaded; each must be a prerequisite of the notebook."""
    source = config.NOTEBOOKS_DIR / f"{name}.py"
    out = subprocess.run(
        [sys.executable, "-c", RUNTIME_IMPORTS, str(source)],
        capture_output=True,
        text=True,
        cwd=config.PROJ_ROOT,
        check=True,
    ).stdout.split()
    assert out, "the notebook imports the package"
    traced = makerules.code_dependencies(source)
    missing = [m for m in out if f"src/outsourcing_repro/{m}.py" not in traced]
    assert not missing, f"{name} loads {missing} but its rule does not depend on them"


def test_a_module_no_notebook_imports_reruns_none():
    traced = {e.name: makerules.code_dependencies(config.resolve(e.source)) for e in outline.load().entries()}
    # The report's modules: report.py and what it imports of the package's report_* modules (every
    # one of them, so a new report module that the build does not use would fail here too).
    report_modules = {m for m in makerules.closure({"report"}) if m.startswith("report")}
    on_disk = {p.stem for p in config.PACKAGE_DIR.glob("report*.py")}
    assert report_modules == on_disk and len(on_disk) > 1
    for module in sorted(report_modules):
        rerun = sorted(n for n, deps in traced.items() if f"src/outsourcing_repro/{module}.py" in deps)
        assert not rerun, f"{module}.py is report-only code, but these notebooks depend on it: {rerun}"
    paper_b = {n for n, deps in traced.items() if "src/outsourcing_repro/paper_b.py" in deps}
    assert "fig_b1_wenzhou_execution" in paper_b and "fig_a2_business_model" not in paper_b


def test_path_parameters_must_declare_their_role(tmp_path):
    nb = tmp_path / "x.py"
    nb.write_text('# %% tags=["parameters"]\nvalues: str = "data/raw/x.csv"  # the data\n', encoding="utf-8")
    with pytest.raises(
        runner_params.ParameterError, match="parameter 'values' is a path; start its comment with its role"
    ):
        runner_params.declared_parameters(nb)


def test_an_import_for_type_annotations_only_is_not_a_dependency(tmp_path, monkeypatch):
    """`if TYPE_CHECKING:` imports never run, so they must not rerun a notebook; lazy imports do."""
    module = tmp_path / "mod.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "if TYPE_CHECKING:\n    from .regression import Fit\n"
        "if typing.TYPE_CHECKING:\n    from .figures import plot\nelse:\n    from .number import Number\n"
        "def f():\n    from .present import Item\n",
        encoding="utf-8",
    )
    assert makerules.imported_modules(module, in_package=True) == {"number", "present"}
