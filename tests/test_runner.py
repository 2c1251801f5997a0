"""The parameter contract: unknown names, wrong types and out-of-range values fail before a kernel."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest

from outsourcing_repro import config, runner, runner_params

NOTEBOOK = textwrap.dedent("""\
    # %% [markdown]
    # ### Title

    # %% tags=["parameters"]
    values: str = "data/raw/x.csv"  # input: what it reads
    start_year: int = 2013  # range: 2013..2017
    cov_type: str = "HC1"  # one of: nonrobust, HC1, HC3

    # %%
    print(values, start_year, cov_type)
""")


@pytest.fixture()
def nb(tmp_path):
    path = tmp_path / "demo.py"
    path.write_text(NOTEBOOK, encoding="utf-8")
    return path


def test_declared_parameters_are_read_with_types_and_constraints(nb):
    declared = runner_params.declared_parameters(nb)
    assert list(declared) == ["values", "start_year", "cov_type"]
    assert declared["start_year"].type == "int"
    assert (declared["start_year"].low, declared["start_year"].high) == (2013, 2017)
    assert declared["cov_type"].choices == ("nonrobust", "HC1", "HC3")


def test_valid_parameters_are_coerced(nb):
    out = runner_params.coerce(runner_params.declared_parameters(nb), {"start_year": "2014", "cov_type": "HC3"}, "demo")
    assert out == {"start_year": 2014, "cov_type": "HC3"}


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"start_yaer": "2014"}, "unknown parameter 'start_yaer'"),
        ({"start_year": "twenty"}, "parameter 'start_year' expects int, got 'twenty'"),
        ({"start_year": "1999"}, "parameter 'start_year' = 1999 is out of range; expected 2013..2017"),
        ({"cov_type": "HC9"}, "parameter 'cov_type' = 'HC9' is not allowed; expected one of: nonrobust, HC1, HC3"),
    ],
)
def test_bad_parameters_name_the_parameter_and_what_was_expected(nb, given, expected):
    with pytest.raises(runner_params.ParameterError) as info:
        runner_params.coerce(runner_params.declared_parameters(nb), given, "demo")
    assert expected in str(info.value)


def test_cli_exits_non_zero_on_a_bad_parameter_without_starting_a_kernel(nb, tmp_path):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "outsourcing_repro.runner", str(nb), str(out), "-p", "start_year", "2099"],
        capture_output=True,
        text=True,
        cwd=config.PROJ_ROOT,
    )
    assert result.returncode == 2
    assert "parameter 'start_year' = 2099 is out of range" in result.stderr
    assert not out.exists()


def test_every_project_notebook_declares_a_valid_parameters_cell():
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("*.py"))
    assert notebooks
    for path in notebooks:
        declared = runner_params.declared_parameters(path)
        assert declared, f"{path.name} declares no parameters"


@pytest.mark.e2e
def test_notebooks_started_at_once_each_talk_to_their_own_kernel(nb, tmp_path):
    """Under `make -j` two runners start kernels at the same moment. Each kernel listens on Unix
    sockets in its runner's private folder, so neither can receive the other's messages (with one
    shared socket path the kernels reject each other's signatures, and TCP ports can collide)."""
    years = (2014, 2016)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "outsourcing_repro.runner",
                str(nb),
                str(tmp_path / f"out{year}.ipynb"),
                "-p",
                "start_year",
                str(year),
            ],
            cwd=config.PROJ_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for year in years
    ]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for year, (proc, _out, err) in zip(years, results, strict=True):
        assert proc.returncode == 0, err
        assert "Invalid Signature" not in err and "without encryption" not in err, err
        executed = nbformat.read(tmp_path / f"out{year}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        assert f"data/raw/x.csv {year} HC1" in printed


def test_kernel_sockets_fall_back_to_tcp_when_the_folder_path_is_too_long():
    assert runner._kernel_manager("/tmp/osr-kernel-abc") != {}
    manager = runner._kernel_manager("/tmp/osr-kernel-abc")["kernel_manager_class"]()
    assert manager.transport == "ipc" and manager.ip == "/tmp/osr-kernel-abc/kernel"
    long = runner._kernel_manager("/tmp/" + "x" * 100)
    assert not long or long["kernel_manager_class"]().transport == "tcp"


def test_roles_give_the_inputs_and_outputs(nb):
    declared = runner_params.declared_parameters(nb)
    assert declared["values"].role == "input" and declared["start_year"].role is None
    inputs, outputs = runner_params.declared_files(declared, {"values": "data/raw/y.csv"})
    assert inputs == ["data/raw/y.csv"] and outputs == []


def test_a_list_input_is_split_at_commas(tmp_path):
    path = tmp_path / "combine.py"
    path.write_text(
        '# %% tags=["parameters"]\n'
        'results: str = "reports/a.csv"  # inputs: per-series results\n'
        'table: str = "reports/t.csv"  # output: the combined table\n',
        encoding="utf-8",
    )
    declared = runner_params.declared_parameters(path)
    assert runner_params.declared_files(declared, {"results": "reports/a.csv, reports/b.csv"}) == (
        ["reports/a.csv", "reports/b.csv"],
        ["reports/t.csv"],
    )


LEAKER = textwrap.dedent("""\
    # %% tags=["parameters"]
    mode: str = "write"  # one of: write, read

    # %%
    import os
    import matplotlib
    import outsourcing_repro.config as cfg
    if mode == "write":
        cfg.LEFT_BEHIND = 1
        matplotlib.rcParams["lines.linewidth"] = 9.5
        os.environ["LEFT_BEHIND"] = "1"
        left_behind_global = 1
    print("kernel", os.getpid(), os.getppid())
    print("module", hasattr(cfg, "LEFT_BEHIND"), "rc", matplotlib.rcParams["lines.linewidth"],
          "env", "LEFT_BEHIND" in os.environ, "global", "left_behind_global" in globals())
""")


def _printed(path) -> str:
    executed = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))


@pytest.mark.e2e
def test_state_does_not_leak_from_one_warm_kernel_to_the_next(tmp_path):
    """Two notebooks in a row: the first changes a module attribute, matplotlib's rcParams, the
    environment and its globals; the second, run next from the same pre-imported process, sees
    none of it. Both kernels are forked from that one process (same parent), each its own pid."""
    from outsourcing_repro import warm

    source = tmp_path / "leaker.py"
    source.write_text(LEAKER, encoding="utf-8")
    for mode in ("write", "read"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "outsourcing_repro.runner",
                str(source),
                str(tmp_path / f"{mode}.ipynb"),
                "-p",
                "mode",
                mode,
            ],
            capture_output=True,
            text=True,
            cwd=config.PROJ_ROOT,
        )
        assert result.returncode == 0, result.stderr
    wrote, read = _printed(tmp_path / "write.ipynb"), _printed(tmp_path / "read.ipynb")
    assert "module True rc 9.5 env True global True" in wrote
    assert "module False rc 1.5 env False global False" in read
    (_, pid1, parent1), (_, pid2, parent2) = (
        next(line.split() for line in text.splitlines() if line.startswith("kernel")) for text in (wrote, read)
    )
    assert pid1 != pid2
    assert parent1 == parent2, "both kernels come from the one pre-imported process"
    assert warm.enabled()
    with open(f"/proc/{parent1}/cmdline", "rb") as fh:
        assert b"outsourcing_repro.warm" in fh.read()


HOLD = textwrap.dedent("""\
    # %% tags=["parameters"]
    folder: str = "."
    fail: bool = False

    # %%
    import pathlib, time
    pathlib.Path(folder, "started").touch()
    deadline = time.monotonic() + 60
    while not pathlib.Path(folder, "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)

    # %%
    if fail:
        raise ValueError("the cell's own error")
""")


def _maps_zmq(pid: int) -> bool:
    with open(f"/proc/{pid}/maps") as fh:
        return "libzmq" in fh.read()


def _children(pid: int) -> list[int]:
    found = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.e2e
@pytest.mark.parametrize("warm_switch", ["1", "0"])
def test_the_runner_runs_in_a_forked_child_and_its_command_keeps_the_exit_status(tmp_path, warm_switch):
    """`python -m outsourcing_repro.runner` hands its work to a child of the pre-imported runner
    process (warm_runner). While a notebook runs, the command's own process has not loaded ZeroMQ
    (it talks to no kernel; with OSR_WARM_KERNEL=0 it does), and a child of the runner zygote has.
    Either way the command prints the runner's lines and exits with the runner's status."""
    source = tmp_path / "hold.py"
    source.write_text(HOLD, encoding="utf-8")
    env = dict(os.environ, OSR_WARM_KERNEL=warm_switch)
    for fail in ("false", "true"):
        (tmp_path / "started").unlink(missing_ok=True)
        (tmp_path / "release").unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-m", "outsourcing_repro.runner", str(source), str(tmp_path / f"{fail}.ipynb")]
            + ["-p", "folder", str(tmp_path), "-p", "fail", fail],
            cwd=config.PROJ_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not (tmp_path / "started").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "started").exists(), proc.communicate()
        if fail == "false":
            assert _maps_zmq(proc.pid) == (warm_switch == "0")
            if warm_switch == "1":
                zygotes = [
                    pid
                    for pid in (int(p.name) for p in pathlib.Path("/proc").glob("[0-9]*"))
                    if _cmdline(pid).startswith(f"{sys.executable}\0-m\0outsourcing_repro.warm\0serve\0runner")
                ]
                assert any(_maps_zmq(child) for z in zygotes for child in _children(z))
        (tmp_path / "release").touch()
        out, err = proc.communicate(timeout=300)
        assert "[notebook]" in out
        if fail == "false":
            assert proc.returncode == 0, err
            assert "done in" in out and (tmp_path / "false.ipynb").exists()
        else:
            assert proc.returncode == 1, err
            assert "error: notebook failed" in err and "ValueError: the cell's own error" in err
            assert "hold.py" in err and not (tmp_path / "true.ipynb").exists()


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().decode(errors="replace")
    except OSError:
        return ""
