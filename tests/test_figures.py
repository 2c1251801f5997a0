"""The figures stage: layout helpers and the drawings' labels, checked on the drawn figure."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from outsourcing_repro import config, dataset, figures_business_model, figures_series, paper_b, plotting

A_NODES = config.RAW_DATA_DIR / "paper_a_fig2_nodes.csv"
A_EDGES = config.RAW_DATA_DIR / "paper_a_fig2_edges.csv"
B_VALUES = config.RAW_DATA_DIR / "paper_b_values.csv"


@pytest.fixture(scope="module")
def frame():
    return dataset.load(B_VALUES, "paper_values")


# ---- Paper A 图2 ----


def test_diagram_layout_is_a_tree_from_one_root():
    nodes, edges = dataset.load(A_NODES, "diagram_nodes"), dataset.load(A_EDGES, "diagram_edges")
    layout = figures_business_model.diagram_layout(nodes, edges)
    assert (layout["column"] == 0).sum() == 1
    assert set(edges["target"]) == set(nodes["node_id"]) - set(layout.loc[layout["column"] == 0, "node_id"])
    assert set(nodes["group"]) - {"root"} <= set(figures_business_model.LANES)


def test_diagram_layout_rejects_cycles_and_unknown_nodes():
    nodes = pd.DataFrame({"node_id": ["a", "b"], "group": ["core", "core"]})
    with pytest.raises(ValueError, match="cycle"):
        figures_business_model.diagram_layout(nodes, pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"]}))
    with pytest.raises(ValueError, match="do not exist"):
        figures_business_model.diagram_layout(nodes, pd.DataFrame({"source": ["a"], "target": ["c"]}))


def test_wrap_zh_never_starts_a_line_with_punctuation():
    lines = plotting.wrap_zh("企业边界拓展：协同生产、远程办公、自动化辅助工具、在线市场", 12)
    assert "".join(lines) == "企业边界拓展：协同生产、远程办公、自动化辅助工具、在线市场"
    assert not any(line[0] in "、，：）" for line in lines)
    assert plotting.wrap_zh("采购外包：分包给多个供应商", 12) == ["采购外包：", "分包给多个供应商"]


# ---- Paper B 图1 ----


def test_aligned_limits_give_one_grid():
    left_top, left_step, right_top, right_step = figures_series.aligned_limits(27561, 94.0)
    assert (left_top, left_step, right_top, right_step) == (30000, 5000, 120, 20)
    assert left_top / left_step == right_top / right_step


def test_figure_1_labels_do_not_overlap(frame):
    plotting.setup()
    table = paper_b.execution_series(frame)
    fig = figures_series.plot_execution(table, 50, 20)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text().strip()]
    assert len(texts) >= len(table) + 2  # bar values, the gap labels and the two average labels
    boxes = [t.get_window_extent(renderer) for t in texts]
    overlapping = [
        (a.get_text(), b.get_text())
        for (a, ba), (b, bb) in itertools.combinations(zip(texts, boxes), 2)
        if ba.overlaps(bb)
    ]
    assert not overlapping, overlapping
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_figure_1_flags_exactly_the_years_outside_rounding(frame):
    plotting.setup()
    tolerance = paper_b.growth_tolerances(frame)
    assert tolerance[2014] == pytest.approx(0.05) and tolerance[2017] == pytest.approx(0.005)
    fig = figures_series.plot_execution(paper_b.execution_series(frame), 50, 20, tolerance)
    flagged = sorted(t.get_text() for ax in fig.axes for t in ax.texts if "重算" in t.get_text())
    # 2014: 36.1 vs 36.06 is within half a unit of "36.1"; 2015 agrees; 2016 and 2017 do not.
    assert flagged == ["原文 73.31\n重算 70.50", "原文 76.84\n重算 66.85"]
    import matplotlib.pyplot as plt

    plt.close(fig)
