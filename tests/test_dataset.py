"""dataset.load: the real files load; a broken one fails with file, line, column and a fix.

The corpus of corrupted real files is in test_bad_inputs.py; these are the mechanics on small,
hand-made files whose answers are known by construction.
"""

from __future__ import annotations

import csv

import pytest
from conftest import PAPER_VALUES_ROW, write_csv

from outsourcing_repro import config, dataset
from outsourcing_repro.schemas import SCHEMAS

REAL = {
    "data/raw/paper_b_values.csv": "paper_values",
    "data/raw/paper_a_values.csv": "paper_values",
    "data/external/mofcom_release_values.csv": "mofcom",
}


@pytest.fixture(autouse=True)
def no_papers(tmp_path_factory, monkeypatch):
    """Rows made up here are not in the papers: these tests are about the files, so the papers' texts
    are out of sight (the check against them is tested in test_provenance.py). The real files are
    loaded with the real texts where those are present."""
    monkeypatch.setattr(config, "SEEDS_DIR", tmp_path_factory.mktemp("no-papers"))


def row(**changes) -> dict:
    out = {**PAPER_VALUES_ROW, **changes}
    if "value" in changes and "quote" not in changes:
        # A value must be printed by its own quote (schemas.py); a test about another rule keeps it so.
        try:
            printed = f"{abs(float(changes['value'])):f}".rstrip("0").rstrip(".")
        except ValueError:
            return out
        out["quote"] = f"执行金额为 {printed}万美元"
    return out


@pytest.mark.parametrize("relative, schema", REAL.items())
def test_the_real_files_load_with_one_row_per_data_line(relative, schema, monkeypatch):
    monkeypatch.undo()
    path = config.PROJ_ROOT / relative
    frame = dataset.load(path, schema)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        expected_rows = sum(1 for _ in csv.reader(fh)) - 1
    assert len(frame) == expected_rows
    assert list(frame.columns) == list(SCHEMAS[schema].columns)
    assert frame.attrs["source"] == relative


def test_types_are_coerced(tmp_path):
    frame = dataset.load(write_csv(tmp_path, [row()]), "paper_values")
    assert frame.loc[2, "value"] == pytest.approx(4032.9)
    assert frame.loc[2, "year"] == 2014


def test_the_index_is_the_line_number_even_after_a_multi_line_quote(tmp_path):
    # Row 1 starts on line 2 and its quote spans lines 2-4; row 2 therefore starts on line 5.
    rows = [row(quote="第一行\n执行金额为 4032.9万美元\n第三行"), row(value_id="b_y_2015", year="2099")]
    path = write_csv(tmp_path, rows)
    with pytest.raises(dataset.DataError) as info:
        dataset.load(path, "paper_values")
    assert (info.value.line, info.value.column) == (5, "year")


def test_message_format_names_file_line_column_value_and_fix(tmp_path):
    path = write_csv(tmp_path, [row(), row(value_id="b_y_2015", value="12,5")])
    with pytest.raises(dataset.DataError) as info:
        dataset.load(path, "paper_values")
    assert str(info.value) == (
        f"{path.as_posix()}, line 3, column 'value': '12,5' is not a number. "
        "Fix: write digits with an optional decimal point: no thousands "
        "separator, unit or %"
    )


def test_paths_inside_the_project_are_shown_relative():
    error = dataset.DataError(config.PROJ_ROOT / "data" / "raw" / "x.csv", "bad", line=3, column="value")
    assert str(error) == "data/raw/x.csv, line 3, column 'value': bad"


def test_the_first_problem_in_file_order_is_reported_and_the_rest_counted(tmp_path):
    rows = [
        row(),
        row(value_id="b_y_2015", value="-1"),
        row(value_id="b_z_2016", year="1800"),
        row(value_id="b_w_2017", unit="万美圆"),
    ]
    with pytest.raises(dataset.DataError) as info:
        dataset.load(write_csv(tmp_path, rows), "paper_values")
    assert (info.value.line, info.value.column) == (3, "value")
    assert "[and 2 more problem(s) on lines 4, 5]" in str(info.value)


def test_a_value_that_is_not_a_number_is_one_problem_not_an_echo_of_every_rule(tmp_path):
    with pytest.raises(dataset.DataError) as info:
        dataset.load(write_csv(tmp_path, [row(value="about 5")]), "paper_values")
    assert "more problem" not in str(info.value)
    assert info.value.column == "value"


@pytest.mark.parametrize(
    "kind, value, ok",
    [
        ("growth_rate", "-12.5", True),  # growth may be negative
        ("change", "-3", True),
        ("level", "-3", False),
        ("count", "-1", False),
    ],
)
def test_only_growth_and_changes_may_be_negative(tmp_path, kind, value, ok):
    unit = "%" if kind == "growth_rate" else "万美元"
    path = write_csv(tmp_path, [row(kind=kind, value=value, unit=unit)])
    if ok:
        assert dataset.load(path, "paper_values").loc[2, "value"] == float(value)
    else:
        with pytest.raises(dataset.DataError, match="cannot be negative"):
            dataset.load(path, "paper_values")


@pytest.mark.parametrize("value, ok", [("0", True), ("100", True), ("100.1", False), ("-0.5", False)])
def test_shares_lie_between_0_and_100(tmp_path, value, ok):
    path = write_csv(tmp_path, [row(kind="share", unit="%", value=value)])
    if ok:
        dataset.load(path, "paper_values")
    else:
        with pytest.raises(dataset.DataError) as info:
            dataset.load(path, "paper_values")
        assert info.value.column == "value"


def test_magnitude_bound_depends_on_the_unit(tmp_path):
    # 5e7 is plausible in 万美元 (5e11 USD) but not in 亿美元 (5e15 USD).
    dataset.load(write_csv(tmp_path, [row(value="5e7", unit="万美元")], name="a.csv"), "paper_values")
    with pytest.raises(dataset.DataError, match="1e\\+06 亿美元"):
        dataset.load(write_csv(tmp_path, [row(value="5e7", unit="亿美元")], name="b.csv"), "paper_values")


def test_duplicate_keys_point_at_the_repeat_and_the_original(tmp_path):
    rows = [row(), row(value_id="b_y_2015"), row()]
    with pytest.raises(dataset.DataError) as info:
        dataset.load(write_csv(tmp_path, rows), "paper_values")
    assert info.value.line == 4
    assert "(also on line 2)" in str(info.value)


def test_optional_columns_may_be_empty_and_required_ones_may_not(tmp_path):
    dataset.load(write_csv(tmp_path, [row(period="", note="")], name="ok.csv"), "paper_values")
    with pytest.raises(dataset.DataError) as info:
        dataset.load(write_csv(tmp_path, [row(entity="")], name="bad.csv"), "paper_values")
    assert (info.value.line, info.value.column) == (2, "entity")
    assert "an empty cell" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(dataset.DataError, match="file not found"):
        dataset.load(tmp_path / "nope.csv", "paper_values")


def test_command_line_check(tmp_path, capsys):
    good = write_csv(tmp_path, [row()], name="good.csv")
    assert dataset.main([str(good), "paper_values"]) == 0
    assert "1 rows valid against 'paper_values'" in capsys.readouterr().out
    bad = write_csv(tmp_path, [row(year="20l4")], name="bad.csv")
    assert dataset.main([str(bad), "paper_values"]) == 1
    assert "line 2, column 'year': '20l4' is not a whole number" in capsys.readouterr().err
    assert dataset.main([str(good), "no_such_schema"]) == 2
    assert dataset.main([]) == 2


def test_blank_lines_at_the_end_are_harmless_but_not_inside(tmp_path):
    path = write_csv(tmp_path, [row(), row(value_id="b_y_2015")])
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert len(dataset.load(path, "paper_values")) == 2
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n", encoding="utf-8")
    with pytest.raises(dataset.DataError) as info:
        dataset.load(path, "paper_values")
    assert info.value.line == 3 and "blank line" in str(info.value)


# -- Values against their own quotes (schemas.py's quote rules) ------------------------------------


def _refused(path, schema="paper_values") -> dataset.DataError:
    with pytest.raises(dataset.DataError) as info:
        dataset.load(path, schema)
    return info.value


def test_a_value_its_quote_does_not_print_is_refused_with_both_numbers(tmp_path):
    problem = _refused(
        write_csv(tmp_path, [row(), row(value_id="b_y_2015", value="4132.9", quote=PAPER_VALUES_ROW["quote"])])
    )
    assert (problem.line, problem.column) == (3, "value")
    assert problem.problem.startswith("value '4132.9' is not carried by its quote, which prints 4032.9: “执行金额为")
    assert "printed_scale" in problem.hint


@pytest.mark.parametrize("value, ok", [("3", True), ("4", False)])
def test_a_value_printed_in_chinese_numerals_is_read_from_them(tmp_path, value, ok):
    path = write_csv(tmp_path, [row(value=value, unit="个", kind="count", quote="具体可分为三个方面")])
    if ok:
        assert dataset.load(path, "paper_values").loc[2, "value"] == 3
    else:
        assert "which prints 3:" in _refused(path).problem


def test_a_fall_is_printed_as_a_word_and_its_magnitude(tmp_path):
    path = write_csv(tmp_path, [row(value="-12.5", unit="%", kind="growth_rate", quote="同比下降12.5%")])
    assert dataset.load(path, "paper_values").loc[2, "value"] == -12.5


JOBS = dict(value="121", unit="万人", quote="created 1.21 million new jobs, with a total of 8.6 million")


@pytest.mark.parametrize(
    "printed, scale, column, message",
    [
        ("1.21 million", "100", None, None),
        (
            "1.21 million",
            "10",
            "value",
            "value '121' is not what its printed form '1.21 million' says: 1.21 × printed_scale 10 = 12.1",
        ),
        ("1.2 million", "100", "printed", "printed form '1.2 million' is not in its quote"),
        ("21 million", "100", "printed", "printed form '21 million' is not in its quote"),
        ("1.21 million", "", "printed_scale", "one is given without the other"),
        ("", "100", "printed_scale", "one is given without the other"),
        ("1.21 million new jobs, with a total of 8.6", "100", "printed", "does not hold exactly one number"),
    ],
)
def test_a_value_printed_in_another_form_is_read_through_printed_and_printed_scale(
    tmp_path, printed, scale, column, message
):
    path = write_csv(tmp_path, [row(**JOBS, printed=printed, printed_scale=scale)])
    if column is None:
        assert dataset.load(path, "paper_values").loc[2, "value"] == 121
    else:
        problem = _refused(path)
        assert (problem.line, problem.column) == (2, column)
        assert message in problem.problem


def test_without_a_printed_form_the_other_form_is_refused(tmp_path):
    problem = _refused(write_csv(tmp_path, [row(**JOBS)]))
    assert problem.column == "value" and "which prints 1.21, 8.6" in problem.problem


MOFCOM_ROW = dict(
    year="2016",
    metric="服务外包执行额",
    value="4885",
    unit="亿元",
    scope="national",
    source_url="http://example.org/a",
    quote="执行额4885亿元",
    printed="",
    printed_scale="",
)


def test_an_exact_duplicate_row_is_refused_naming_both_lines(tmp_path):
    header = list(SCHEMAS["mofcom"].columns)
    other = {**MOFCOM_ROW, "year": "2017"}
    path = write_csv(tmp_path, [MOFCOM_ROW, other, MOFCOM_ROW], header=header)
    problem = _refused(path, "mofcom")
    assert (problem.line, problem.column) == (4, None)
    assert problem.problem == "this row repeats line 2 exactly"
    assert dataset.load(write_csv(tmp_path, [MOFCOM_ROW, other], header=header, name="ok.csv"), "mofcom").shape[0] == 2
