"""The benchmark's own parsing, statistics and measuring (benchmarks/bench.py).

Speed goals are measured by `make bench`, never asserted here: a timed test fails on a busy machine.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outsourcing_repro import config, report_facts, runner

BENCH_PATH = config.PROJ_ROOT / "benchmarks" / "bench.py"
TRACE_DIR = config.PROJ_ROOT / "benchmarks" / "open_trace"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def runner_output(monkeypatch, capsys, source: str, output: str, seconds: float) -> str:
    """What the real runner prints for one notebook, with the execution itself stubbed out."""
    monkeypatch.setattr(runner, "run", lambda *args, **kwargs: seconds)
    assert runner.main([source, output]) == 0
    return capsys.readouterr().out


def test_done_lines_parse_the_runner_output(bench, monkeypatch, capsys, tmp_path):
    source = next(iter(sorted(config.NOTEBOOKS_DIR.glob("*.py"))))
    out = runner_output(monkeypatch, capsys, str(source), str(tmp_path / "one_series.ipynb"), 2.25)
    # One start line and one done line; a finished notebook is named by its output, since one
    # source can run once per series.
    assert bench.started_notebooks(out) == [f"notebooks/{source.name}"]
    assert bench.done_notebooks(out) == ["one_series"]
    assert bench.report_built(out) is False


def test_done_lines_ignore_starts_failures_and_other_text(bench):
    text = "\n".join(
        [
            "[notebook] notebooks/reg_growth.py ...",
            ".venv/bin/python -m outsourcing_repro.runner notebooks/x.py reports/notebooks/x.ipynb",
            "[notebook] notebooks/reg_growth.py done in 8.5 s -> reports/notebooks/reg_growth_a.ipynb",
            "error: notebook failed: notebooks/fig_b2.py: cell 3 raised KeyError",
            "[notebook] notebooks/fig_b1.py done in 12 s -> reports/notebooks/fig_b1.ipynb",
            "[report] wrote reports/report.html and reports/report.pdf in 3.4 s",
        ]
    )
    assert bench.done_notebooks(text) == ["reg_growth_a", "fig_b1"]
    assert bench.started_notebooks(text) == ["notebooks/reg_growth.py"]
    assert bench.report_built(text) is True
    assert bench.report_built("[report] assembling 3 notebooks\n[report] printing PDF") is False


def test_max_concurrency_counts_overlapping_notebooks(bench):
    """As --output-sync prints them: each start line arrives with its done line, when the notebook
    ends. a ran 0-3, b 0.1-5, c 3.1-6: at most two at once."""
    lines = [
        (3.0, "[notebook] notebooks/a.py ..."),
        (3.0, "[notebook] notebooks/a.py done in 3.0 s -> reports/notebooks/a.ipynb"),
        (5.0, "[notebook] notebooks/b.py ..."),
        (5.0, "[notebook] notebooks/b.py done in 4.9 s -> reports/notebooks/b.ipynb"),
        (6.0, "[notebook] notebooks/c.py ..."),
        (6.0, "[notebook] notebooks/c.py done in 2.9 s -> reports/notebooks/c.ipynb"),
    ]
    assert bench.max_concurrency(lines) == 2
    # One after the other (b starts as a ends): one at a time.
    serial = [
        (2.0, "[notebook] notebooks/a.py done in 2.0 s -> reports/notebooks/a.ipynb"),
        (5.0, "[notebook] notebooks/b.py done in 3.0 s -> reports/notebooks/b.ipynb"),
    ]
    assert bench.max_concurrency(serial) == 1
    # The same source twice at once (one notebook, two series) counts twice.
    same = [
        (4.0, "[notebook] notebooks/r.py done in 4.0 s -> reports/notebooks/r_x.ipynb"),
        (4.2, "[notebook] notebooks/r.py done in 4.0 s -> reports/notebooks/r_y.ipynb"),
    ]
    assert bench.max_concurrency(same) == 2
    assert bench.max_concurrency(lines[:1]) == 0
    assert bench.max_concurrency([]) == 0


def test_median_ignores_missing_values(bench):
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert bench.median([None, 5.0]) == 5.0
    assert bench.median([]) is None


def test_proc_stat_with_parentheses_and_spaces_in_the_name(bench):
    fields = ["S", "4242"] + [str(i) for i in range(5, 24)] + ["777"] + ["0"] * 20
    line = "1234 (odd ) name (x)) " + " ".join(fields)
    assert bench.parse_proc_stat(line) == (1234, 4242, 777)
    own = Path(f"/proc/{os.getpid()}/stat").read_text()
    pid, ppid, rss = bench.parse_proc_stat(own)
    assert (pid, ppid) == (os.getpid(), os.getppid())
    assert rss > 0


def test_descendants_follow_the_whole_tree_only(bench):
    parent_of = {10: 1, 11: 10, 12: 11, 13: 10, 20: 1, 21: 20}
    assert bench.descendants(10, parent_of) == {10, 11, 12, 13}
    assert bench.descendants(12, parent_of) == {12}


def test_peak_memory_sums_concurrent_children(bench):
    # Two Python processes, each holding 150 MiB at the same time under one shell.
    hold = f'{sys.executable} -c "b = bytearray(150 * 2**20); import time; time.sleep(1.5)"'
    m = bench.run_measured(["bash", "-c", f"{hold} & {hold} & wait"], Path.cwd(), dict(os.environ))
    assert m.ok
    assert m.seconds >= 1.5
    assert 300 <= m.peak_memory_mb < 500


def test_peak_memory_of_a_process_too_short_to_poll(bench):
    # Larger than this test process, whose own high-water mark a child starts from.
    m = bench.run_measured([sys.executable, "-c", "b = bytearray(600 * 2**20)"], Path.cwd(), dict(os.environ), poll=30)
    assert m.ok
    assert 600 <= m.peak_memory_mb < 800


def test_cpu_time_counts_children(bench):
    spin = f'{sys.executable} -c "import time; t = time.process_time()\nwhile time.process_time() - t < 0.4: pass"'
    m = bench.run_measured(["bash", "-c", f"{spin}; {spin}"], Path.cwd(), dict(os.environ))
    assert m.ok
    assert 0.8 <= m.cpu_seconds < 2.0


def test_failures_and_output_are_kept(bench):
    m = bench.run_measured(["bash", "-c", "echo one; echo two >&2; exit 3"], Path.cwd(), dict(os.environ))
    assert m.returncode == 3 and not m.ok
    assert sorted(line for _, line in m.lines) == ["one", "two"]


def test_readers_of_a_data_file(bench):
    params = {
        "fig_b1": {"values": "data/raw/paper_b_values.csv", "figure": "reports/figures/fig_b1.png"},
        "audit": {"data": "data/raw", "start_year": 2013},
        "reg_mofcom": {"mofcom": "data/external/mofcom_release_values.csv", "flag": ""},
    }
    assert bench.readers_of("data/raw/paper_b_values.csv", params) == {"fig_b1", "audit"}
    assert bench.readers_of("data/external/mofcom_release_values.csv", params) == {"reg_mofcom"}
    assert bench.readers_of("data/raw/paper_a_values.csv", params) == {"audit"}


def test_import_snippet_keeps_only_top_level_imports(bench):
    source = "\n".join(
        [
            "from __future__ import annotations",
            "# %% [markdown]",
            "# ### 标题 Title",
            '# %% tags=["parameters"]',
            "values: str = 'data/raw/x.csv'  # input",
            "# %%",
            "import pandas as pd",
            "from outsourcing_repro import dataset, plotting",
            "frame = dataset.load(values, 'paper_values')",
            "def helper():",
            "    import json",
        ]
    )
    snippet = bench.import_snippet(source)
    assert snippet.splitlines() == ["import pandas as pd", "from outsourcing_repro import dataset, plotting"]


def test_open_trace_records_reads_and_writes_of_a_child(bench, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "data" / "b.csv").write_text("x\n2\n")
    (tmp_path / "elsewhere.csv").write_text("x\n3\n")
    log = tmp_path / "trace.log"
    env = dict(os.environ, PYTHONPATH=str(TRACE_DIR), BENCH_TRACE_ROOT=str(tmp_path), BENCH_TRACE_LOG=str(log))
    code = "\n".join(
        [
            "import os",
            "open('data/a.csv').read(); open('data/a.csv').read(); open('elsewhere.csv').read()",
            "open('reports/.out.tmp', 'w').write('1'); os.replace('reports/.out.tmp', 'reports/out.csv')",
        ]
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    reads, writes = bench.traced_io(log, tmp_path)
    assert reads == {"data/a.csv"}
    assert writes == {"reports/.out.tmp", "reports/out.csv"}
    assert log.read_text().count("a.csv") == 1


def test_affected_notebooks_follow_outputs_to_their_readers(bench):
    reads = {
        "reg_x": {"data/m.csv"},
        "reg_y": {"data/m.csv", "data/b.csv"},
        "fig_b1": {"data/b.csv"},
        "tab_r1": {"reports/tables/reg_x.csv", "reports/tables/reg_y.csv"},
        "audit": {"data/ledger.csv", "reports/tables/tab_r1.csv"},
        "lone": set(),
    }
    writes = {
        "reg_x": {"reports/tables/reg_x.csv"},
        "reg_y": {"reports/tables/reg_y.csv"},
        "tab_r1": {"reports/tables/tab_r1.csv"},
        "fig_b1": {"reports/figures/fig_b1.png"},
    }
    assert bench.affected_by("data/m.csv", reads, writes) == {"reg_x", "reg_y", "tab_r1", "audit"}
    assert bench.affected_by("data/b.csv", reads, writes) == {"reg_y", "fig_b1", "tab_r1", "audit"}
    assert bench.affected_by("data/ledger.csv", reads, writes) == {"audit"}
    assert bench.affected_by("data/unused.csv", reads, writes) == set()


def test_clone_holds_the_working_tree(bench, tmp_path):
    src = tmp_path / "src" / "main"
    src.mkdir(parents=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-C", str(src)]
    subprocess.run(git[:-2] + ["init", "-q", str(src)], check=True)
    (src / ".gitignore").write_text("ignored.txt\n")
    (src / "kept.txt").write_text("committed\n")
    (src / "gone.txt").write_text("committed\n")
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "base"], check=True)
    (src / "kept.txt").write_text("edited, not committed\n")
    (src / "gone.txt").unlink()
    (src / "new").mkdir()
    (src / "new" / "untracked.txt").write_text("new\n")
    (src / "ignored.txt").write_text("ignored\n")

    clone = bench.make_clone(src, tmp_path / "work", "copy", shared_venv=False)
    assert (clone / "kept.txt").read_text() == "edited, not committed\n"
    assert (clone / "new" / "untracked.txt").read_text() == "new\n"
    assert not (clone / "gone.txt").exists()
    assert not (clone / "ignored.txt").exists()
    committed = bench.make_clone(src, tmp_path / "work", "head", shared_venv=False, committed=True)
    assert (committed / "kept.txt").read_text() == "committed\n"
    assert (committed / "gone.txt").exists()


def test_results_table_flags_missed_targets(bench):
    metric = bench.Metric("noop_rebuild", "< 0.5 s")
    ok = bench.Measured(["make"], 0.2, 4.0, 0)
    slow = bench.Measured(["make"], 0.9, 4.0, 0)
    metric.add(ok, True)
    metric.add(slow, False)
    metric.add(ok, True)
    row = metric.row()
    assert row["median_seconds"] == "0.200" and row["runs"] == "3" and row["met"] == "no"
    failed = bench.Metric("cold_build", "<= 0.6 x plain")
    failed.add(bench.Measured(["make"], 1.0, 1.0, 2, [(0.1, "make: *** Error 1")]))
    assert failed.row()["met"] == "error" and "Error 1" in failed.row()["note"]
    assert bench.Metric("plain_way_total").row()["met"] == ""


def test_cold_build_target_is_a_ratio_to_the_plain_way(bench):
    args = bench.parse_args(["--runs", "1"])
    b = bench.Bench(args, Path("/nonexistent"))
    for name, seconds in (("cold_build", [30.0, 31.0, 50.0]), ("plain_way_total", [60.0, 50.0, 40.0])):
        metric = b.metric(name, "<= 0.6 x plain_way_total" if name == "cold_build" else "")
        for s in seconds:
            metric.add(bench.Measured([name], s, 100.0 + s, 0))
    b.finish_targets()
    assert b.metrics["cold_build"].row()["met"] == "no"  # 31 / 50 = 0.62
    assert "0.62" in b.metrics["cold_build"].row()["note"]
    assert b.metrics["peak_memory"].row()["peak_memory_mb"] == "150"  # 100 + 50, plain way excluded
    assert b.metrics["peak_memory"].row()["met"] == "yes"


def test_notebook_times_are_what_report_reads(bench, tmp_path, monkeypatch):
    rows = [{"notebook": "fig_b1_wenzhou_execution", "median_seconds": "7.91", "runs": "3"}]
    target = tmp_path / "benchmarks" / "notebook_times.csv"
    bench.write_csv(target, bench.NOTEBOOK_FIELDS, rows)
    with target.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh))[:2] == ["notebook", "median_seconds"]
    monkeypatch.setattr(config, "PROJ_ROOT", tmp_path)
    assert report_facts.timings() == {"fig_b1_wenzhou_execution": "7.91"}


def test_skip_names_are_checked(bench):
    assert bench.parse_args(["--skip", "setup, plain"]).skip == {"setup", "plain"}
    with pytest.raises(SystemExit):
        bench.parse_args(["--skip", "setpu"])
    with pytest.raises(SystemExit):
        bench.parse_args(["--runs", "0"])


def test_plain_notebook_takes_the_makefile_parameters(bench):
    source = (config.NOTEBOOKS_DIR / "fig_b1_wenzhou_execution.py").read_text(encoding="utf-8")
    nb = bench.plain_notebook(source, {"values": "data/raw/other.csv", "notebook_name": "x"})
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert cell.source.splitlines() == ["values = 'data/raw/other.csv'", "notebook_name = 'x'"]
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    json.dumps(nb)  # still a plain notebook document


ADOPTION_PROBE = """
import os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
import bench
assert bench.become_subreaper()
# The command starts a detached holder of 200 MiB (its own session, like the build's zygotes) and
# exits at once: the holder leaves the command's tree and is adopted by this process.
hold = "import os, time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(20)"
# Like a zygote, it writes to a log, not to the command's output (which the benchmark reads to its end).
start = (
    f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {hold!r}], start_new_session=True, "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); time.sleep(0.5)"
)
cmd = [sys.executable, "-c", start]
m = bench.run_measured(cmd, os.getcwd(), dict(os.environ), poll=0.05)
holders = [p for p in os.listdir("/proc") if p.isdigit() and "bytearray(200" in open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace")]
bench.end_leftovers()
gone = all(not os.path.exists(f"/proc/{p}") or open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0] == "Z" for p in holders)
print(round(m.peak_memory_mb), len(holders), gone)
"""


def test_the_peak_counts_the_processes_a_build_leaves_running_and_they_are_stopped_before_the_next(tmp_path):
    """Warm processes outlive the runner that started them (they leave make's tree). Adopted by the
    benchmark, a detached holder of 200 MiB counts in the peak, and the next measurement stops it."""
    probe = tmp_path / "probe.py"
    probe.write_text(ADOPTION_PROBE, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(probe), str(Path(__file__).resolve().parents[1] / "benchmarks")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    peak, holders, gone = out.stdout.split()
    assert int(peak) >= 200, out.stdout
    assert holders == "1" and gone == "True", out.stdout
