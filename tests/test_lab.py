"""The project's JupyterLab (`make lab`, settings in jupyter/), as a researcher meets it.

The first tests are fast and need no browser: every notebook survives a JupyterLab save byte for
byte, the headers name the kernel as it is registered, kernels start in the project root, and the
lab's font is the shipped one. The browser tests start a real JupyterLab on 127.0.0.1 with the
project's settings (only the autosave interval is shortened, so that autosave fires within
seconds) and drive it in Debian's Chromium with Playwright: a notebook opens as a notebook by URL
and by double-click, autosave and Ctrl+S leave it byte-identical, Run All draws the figure, a
console on the notebook's kernel reads data with the pipeline's relative paths, a module in src/
opens as text, and Chinese is drawn with the shipped font. Whatever the lab writes into the
checkout (the saved notebook, the figure Run All draws) is put back as it was, bytes and times.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM, launch_chromium

from outsourcing_repro import config

ROOT = config.PROJ_ROOT
LAB_CONFIG_DIR = ROOT / "jupyter"
NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.py"))
NOTEBOOK = config.NOTEBOOKS_DIR / "fig_b1_wenzhou_execution.py"  # a figure notebook, run in full below
OTHER_NOTEBOOK = config.NOTEBOOKS_DIR / "reg_growth.py"  # opened by double-click
MODULE = config.PACKAGE_DIR / "config.py"  # a module: must open as text
KERNEL_JSON = Path(sys.prefix) / "share" / "jupyter" / "kernels" / config.KERNEL_NAME / "kernel.json"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def header_of(text: str) -> str:
    lines = text.splitlines(keepends=True)
    assert lines[0] == "# ---\n", "a notebook starts with its jupytext header"
    end = lines.index("# ---\n", 1)
    return "".join(lines[: end + 1])


def load_lab_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("jupyter_server_config.py", path=str(LAB_CONFIG_DIR)).load_config()


# --- fast checks -------------------------------------------------------------------------------


def test_the_registered_kernel_is_named_as_the_notebooks_name_it():
    spec = json.loads(KERNEL_JSON.read_text(encoding="utf-8"))
    assert spec["display_name"] == config.KERNEL_NAME, (
        f"{KERNEL_JSON}: display name {spec['display_name']!r}; JupyterLab writes it into every notebook it "
        f"saves, so it must be {config.KERNEL_NAME!r} (re-run `make setup`)"
    )
    import jupytext

    for path in NOTEBOOKS:
        kernelspec = jupytext.read(path).metadata.get("kernelspec")
        assert kernelspec == {
            "name": config.KERNEL_NAME,
            "display_name": spec["display_name"],
            "language": spec["language"],
        }, f"{rel(path)}: header kernelspec {kernelspec}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_jupyterlab_save_leaves_the_notebook_byte_identical(path, tmp_path):
    """Open and save through jupytext's contents manager (what the lab's server does), with the
    metadata JupyterLab adds: the running kernel's spec, its language_info, cell ids, and the
    outputs and execution counts of a Run All."""
    from jupytext import AsyncTextFileContentsManager

    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")  # the [tool.jupytext] config
    (tmp_path / "notebooks").mkdir()
    original = path.read_bytes()
    (tmp_path / "notebooks" / path.name).write_bytes(original)
    spec = json.loads(KERNEL_JSON.read_text(encoding="utf-8"))
    manager = AsyncTextFileContentsManager(root_dir=str(tmp_path))
    api_path = f"notebooks/{path.name}"

    async def open_run_and_save():
        model = await manager.get(api_path, content=True, type="notebook")
        nb = model["content"]
        nb["metadata"]["kernelspec"] = {
            "display_name": spec["display_name"],
            "language": spec["language"],
            "name": config.KERNEL_NAME,
        }
        nb["metadata"]["language_info"] = {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": ".".join(map(str, sys.version_info[:3])),
        }
        for index, cell in enumerate(nb["cells"]):
            cell["id"] = f"lab-{index}"
            if cell["cell_type"] == "code":
                cell["execution_count"] = index + 1
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
        await manager.save({"type": "notebook", "content": nb}, api_path)

    asyncio.run(open_run_and_save())
    saved = (tmp_path / "notebooks" / path.name).read_bytes()
    if saved != original:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                original.decode().splitlines(True),
                saved.decode().splitlines(True),
                "committed",
                "after a JupyterLab save",
                n=1,
            )
        )
        pytest.fail(f"{rel(path)} changes when saved unedited in JupyterLab:\n{diff[:3000]}")


def test_the_lab_listens_on_localhost_runs_kernels_in_the_root_and_keeps_checkpoints_in_build():
    lab = load_lab_config()
    assert lab.ServerApp.ip == "127.0.0.1"
    assert Path(lab.ServerApp.root_dir) == ROOT
    manager = lab.ServerApp.kernel_manager_class(root_dir=str(ROOT))
    for path in [rel(NOTEBOOK), "notebooks/new_analysis.py", "src/outsourcing_repro/x.py", ""]:
        assert Path(manager.cwd_for_path(path)) == ROOT, path
    # Checkpoints stay out of src/ and notebooks/ (a copy there would count as code or as a notebook).
    checkpoints = lab.ContentsManager.checkpoints_class(root_dir=str(ROOT))
    for path in [rel(MODULE), rel(NOTEBOOK)]:
        where = Path(checkpoints.checkpoint_path("checkpoint", path))
        assert where.is_relative_to(config.BUILD_DIR), where
        assert where.name == f"{Path(path).stem}-checkpoint{Path(path).suffix}"
    # So the notebooks' own relative defaults name existing files from there, as in the pipeline.
    defaults = re.findall(r'^\w+: str = "((?:data|reports)/[^"]+)"', NOTEBOOK.read_text(encoding="utf-8"), re.M)
    assert any(d.startswith("data/") for d in defaults)
    for value in defaults:
        assert (ROOT / value).parent.is_dir(), value


def test_the_lab_draws_chinese_with_the_shipped_font():
    fonts = LAB_CONFIG_DIR / "labextensions" / "outsourcing-repro-lab" / "static" / "fonts"
    assert fonts.resolve() == config.FONT_PATH.parent, f"{fonts} must link to {config.FONT_PATH.parent}"
    css = (LAB_CONFIG_DIR / "custom" / "custom.css").read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{([^}]*)}", css).group(1)
    url = re.search(r'url\("([^"]+)"\)', face).group(1)
    assert url.endswith(f"/outsourcing-repro-lab/static/fonts/{config.FONT_PATH.name}"), url
    family = re.search(r'font-family:\s*"([^"]+)"', face).group(1)
    for variable in ["--jp-ui-font-family", "--jp-content-font-family", "--jp-code-font-family-default"]:
        assert re.search(rf'{variable}:\s*"{family}",', css), f"{variable} does not start with {family!r}"


# --- the real JupyterLab in Chromium -----------------------------------------------------------

AUTOSAVE_SECONDS = 3


def snapshot(folders: list[Path]) -> dict[Path, tuple[bytes, int, int]]:
    return {
        p: (p.read_bytes(), p.stat().st_atime_ns, p.stat().st_mtime_ns)
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file()
    }


def restore(before: dict[Path, tuple[bytes, int, int]], folders: list[Path]) -> list[str]:
    """Put back every file the lab wrote; return those whose bytes it had changed."""
    changed = []
    for path in sorted(set(snapshot(folders)) - set(before)):
        path.unlink()
    for path, (data, atime, mtime) in before.items():
        if not path.exists() or path.read_bytes() != data:
            changed.append(rel(path))
            path.write_bytes(data)
        os.utime(path, ns=(atime, mtime))
    return changed


def git_diff(*paths: Path) -> str:
    return subprocess.run(
        ["git", "diff", "--", *map(str, paths)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


class Lab:
    """A JupyterLab server started as `make lab` starts it, and one Chromium page on it."""

    def __init__(self, tmp: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.runtime = tmp / "runtime"
        settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
        settings.mkdir(parents=True)
        (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosaveInterval": AUTOSAVE_SECONDS}))
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(LAB_CONFIG_DIR),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        )
        self.log = (tmp / "server.log").open("w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "jupyter"),
                "lab",
                "--no-browser",
                f"--port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def url(self, path: str, reset: bool = True) -> str:
        # ?reset: a fresh workspace, so a reload does not reopen every earlier tab.
        return f"{self.base}/{path}?{'reset&' if reset else ''}token={self.token}"

    def wait_until_up(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url("api/status", reset=False), timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"jupyter lab did not answer within {seconds} s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    folders = [config.NOTEBOOKS_DIR, config.REPORTS_DIR / "figures", config.REPORTS_DIR / "tables"]
    before = snapshot(folders)
    checkpoint_dirs = sorted(ROOT.glob("[!.]*/**/.ipynb_checkpoints"))
    tmp = tmp_path_factory.mktemp("lab")
    server = Lab(tmp)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            server.page = page
            server.original = {path: data for path, (data, _, _) in before.items()}
            server.diff_before = git_diff(NOTEBOOK)
            server.elsewhere, server.saves, server.fonts = [], [], []

            def route(r):
                if r.request.url.startswith((server.base + "/", "data:", "blob:")):
                    r.continue_()
                else:
                    server.elsewhere.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            # Every save the page completes (autosave included), counted from the first page load.
            page.on(
                "requestfinished",
                lambda r: (
                    server.saves.append(r.url.split("?")[0].split("/api/contents/", 1)[1])
                    if r.method == "PUT" and "/api/contents/" in r.url
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: (
                    server.fonts.append((r.url.split("?")[0], r.status, r.headers.get("content-length")))
                    if r.url.split("?")[0].endswith(".otf")
                    else None
                ),
            )
            yield server
            browser.close()
    finally:
        server.stop()
        changed = restore(before, folders)
        # Every notebook the lab opened (and autosaved) kept its bytes; the figure Run All drew is
        # put back too, so the build's outputs stay as the last `make` left them.
        rewritten = [path for path in changed if path.startswith(rel(config.NOTEBOOKS_DIR) + "/")]
        assert not rewritten, f"the lab rewrote {rewritten} (now restored)"
        new_checkpoint_dirs = sorted(set(ROOT.glob("[!.]*/**/.ipynb_checkpoints")) - set(checkpoint_dirs))
        assert not new_checkpoint_dirs, f"the lab wrote checkpoints into the tree: {new_checkpoint_dirs}"
        # The kernels this server started stopped with it (their connection files are in its runtime dir).
        left = (
            [pid for pid in os.listdir("/proc") if pid.isdigit() and str(server.runtime).encode() in _cmdline(pid)]
            if Path("/proc").is_dir()
            else []
        )
        assert not left, f"processes of the lab still running: {left}"


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def kernel_idle(page, panel: str = ".jp-NotebookPanel:visible") -> None:
    page.wait_for_function(
        """sel => { const p = Array.from(document.querySelectorAll('.jp-NotebookPanel'))
                     .find(e => !e.classList.contains('lm-mod-hidden'));
                   const i = p && p.querySelector('.jp-Notebook-ExecutionIndicator');
                   return i && i.getAttribute('data-status') === 'idle'; }""",
        arg=panel,
        timeout=120_000,
    )


def wait_for_autosave(lab, path: Path) -> None:
    """Until the page has saved `path` on its own (it may have done so already)."""
    deadline = time.monotonic() + AUTOSAVE_SECONDS + 30
    while rel(path) not in lab.saves:
        assert time.monotonic() < deadline, f"autosave did not save {rel(path)}; saves: {lab.saves}"
        lab.page.wait_for_timeout(250)


def wait_for_save(lab, path: Path, action=None, timeout: float = 30) -> None:
    with lab.page.expect_request(
        lambda r: r.method == "PUT" and r.url.split("?")[0].endswith(f"/api/contents/{rel(path)}"),
        timeout=timeout * 1000,
    ) as request:
        if action:
            action()
    request.value.response()  # wait for the server's answer: the file is written


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium actually drew the text of the first matching element with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no element {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def assert_shipped_font_draws_the_chinese(page, selector: str) -> None:
    text = page.locator(selector).first.inner_text()
    cjk = len(CJK.findall(text))
    assert cjk, f"{selector}: no Chinese in {text[:80]!r}"
    fonts = platform_fonts(page, selector)
    shipped = [f for f in fonts if f["familyName"] == config.FONT_FAMILY and f["isCustomFont"]]
    assert shipped, f"{selector}: drawn with {fonts}, not with the shipped {config.FONT_FAMILY}"
    assert shipped[0]["glyphCount"] >= cjk, (selector, fonts)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found (.ci/run installs chromium)")
class TestInJupyterLab:
    def test_a_notebook_opens_by_url_as_a_notebook_on_the_project_kernel(self, lab):
        page = lab.page
        page.goto(lab.url(f"lab/tree/{rel(NOTEBOOK)}"))
        page.wait_for_selector(".jp-NotebookPanel, .jp-FileEditor", timeout=120_000)
        assert not page.locator(".jp-FileEditor").count(), f"{rel(NOTEBOOK)} opened in the text editor"
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownOutput h3", timeout=120_000)
        kernel_idle(page)
        assert page.locator(".jp-Dialog").count() == 0, "a dialog asked something (kernel choice?)"
        # The toolbar's kernel name follows the session a moment after the kernel reports idle (once
        # in CI it still read "No Kernel"), so it is given time to show the name before it is read.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        name = page.locator(".jp-NotebookPanel .jp-KernelName").first
        with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what it shows instead
            name.filter(has_text=config.KERNEL_NAME).wait_for(timeout=60_000)
        assert name.inner_text() == config.KERNEL_NAME

    def test_autosave_and_ctrl_s_leave_the_notebook_byte_identical(self, lab):
        page = lab.page
        before = lab.original[NOTEBOOK]
        # Nothing is typed: autosave must fire on its own (the page marks the notebook changed
        # when it records the kernel), and write the same bytes. It may have fired already.
        wait_for_autosave(lab, NOTEBOOK)
        assert NOTEBOOK.read_bytes() == before, "autosave rewrote the notebook:\n" + git_diff(NOTEBOOK)[:2000]
        page.locator(".jp-NotebookPanel .jp-MarkdownOutput h3").first.click()
        wait_for_save(lab, NOTEBOOK, lambda: page.keyboard.press("Control+s"))
        assert NOTEBOOK.read_bytes() == before, "Ctrl+S rewrote the notebook:\n" + git_diff(NOTEBOOK)[:2000]
        assert git_diff(NOTEBOOK) == lab.diff_before  # empty in a clean checkout, as in CI

    def test_run_all_draws_the_figure_and_saving_afterwards_changes_nothing(self, lab):
        page = lab.page
        before = lab.original[NOTEBOOK]
        page.locator(".jp-NotebookPanel .jp-MarkdownOutput h3").first.click()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        # Figures are inline SVG (their text is text), as in the report.
        page.wait_for_selector(".jp-NotebookPanel .jp-OutputArea figure.figure svg", timeout=120_000)
        kernel_idle(page)
        code_cells = page.locator(".jp-NotebookPanel .jp-CodeCell").count()
        prompts = page.evaluate(
            "Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt'))"
            ".map(e => e.innerText.trim())"
        )
        assert prompts == [f"[{i}]:" for i in range(1, code_cells + 1)], prompts
        errors = page.locator(
            ".jp-NotebookPanel [data-mime-type='application/vnd.jupyter.error'],"
            " .jp-NotebookPanel [data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert errors.count() == 0, errors.first.inner_text()[:2000]
        drawn = page.evaluate(
            "(() => { const s = document.querySelector('.jp-NotebookPanel figure.figure svg');"
            " return [s.getBoundingClientRect().width, s.querySelectorAll('path').length,"
            " Array.from(s.querySelectorAll('text')).map(t => t.textContent).join('')]; })()"
        )
        width, paths, text = drawn
        assert width > 300 and paths > 10, f"the figure was not drawn (width {width}, {paths} paths)"
        assert re.search(r"[\u4e00-\u9fff]", text), "the figure's Chinese labels are not text in the page"
        assert_shipped_font_draws_the_chinese(page, ".jp-NotebookPanel figure.figure figcaption")
        # The outputs are in the page, not in the text notebook: saving writes the same bytes.
        wait_for_save(lab, NOTEBOOK, lambda: page.keyboard.press("Control+s"))
        assert NOTEBOOK.read_bytes() == before, (
            "saving after Run All rewrote the notebook:\n" + git_diff(NOTEBOOK)[:2000]
        )

    def test_a_researchers_own_code_reads_data_with_the_pipelines_relative_paths(self, lab):
        page = lab.page
        page.locator(".jp-NotebookPanel .jp-MarkdownOutput h3").first.click(button="right")
        page.locator(".lm-Menu-itemLabel", has_text="New Console for Notebook").click()
        prompt = page.locator(".jp-CodeConsole .jp-CodeConsole-promptCell .cm-content")
        prompt.wait_for(timeout=60_000)
        prompt.click()
        # `values` is the notebook's own parameter ("data/raw/paper_b_values.csv"), read as a
        # researcher would read it in a new cell: no package helper, a path relative to the root.
        page.keyboard.type("import os, pandas as pd; print(os.getcwd()); print(len(pd.read_csv(values)))")
        page.keyboard.press("Shift+Enter")
        output = page.locator(".jp-CodeConsole .jp-CodeConsole-content .jp-OutputArea-output").last
        output.wait_for(timeout=60_000)
        printed = output.inner_text().split()
        assert len(printed) == 2, f"the researcher's cell failed: {output.inner_text()[:1500]}"
        assert Path(printed[0]) == ROOT, f"the kernel works in {printed[0]}, not in the project root"
        assert int(printed[1]) > 10

    def test_a_notebook_opens_as_a_notebook_and_a_module_as_text_by_double_click(self, lab):
        page = lab.page
        listing = page.locator(".jp-DirListing-content")

        def double_click(path: Path) -> None:
            page.goto(lab.url(f"lab/tree/{rel(path.parent)}"))  # the file browser shows that folder
            item = listing.locator(".jp-DirListing-item", has_text=path.name).first
            item.wait_for(timeout=120_000)
            item.dblclick()

        double_click(OTHER_NOTEBOOK)
        page.wait_for_selector(f".lm-TabBar-tab[title*='{OTHER_NOTEBOOK.name}']", timeout=60_000)
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput", timeout=60_000)
        kernel_idle(page)
        wait_for_autosave(lab, OTHER_NOTEBOOK)
        assert OTHER_NOTEBOOK.read_bytes() == lab.original[OTHER_NOTEBOOK], git_diff(OTHER_NOTEBOOK)[:2000]
        double_click(MODULE)
        page.locator(".jp-FileEditor:not(.lm-mod-hidden) .cm-content", has_text="PROJ_ROOT").wait_for(timeout=60_000)
        assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").count() == 0

    def test_a_module_opens_as_text_by_url(self, lab):
        page = lab.page
        page.goto(lab.url(f"lab/tree/{rel(MODULE)}"))
        page.locator(".jp-FileEditor:not(.lm-mod-hidden) .cm-content", has_text="PROJ_ROOT").wait_for(timeout=60_000)
        assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").count() == 0

    def test_chinese_is_drawn_with_the_shipped_font_and_nothing_is_fetched_elsewhere(self, lab):
        page = lab.page
        page.goto(lab.url(f"lab/tree/{rel(NOTEBOOK)}"))
        heading = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput h3"
        page.wait_for_selector(heading, timeout=120_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        assert_shipped_font_draws_the_chinese(page, heading)
        size = str(config.FONT_PATH.stat().st_size)
        assert any(status == 200 and length == size for _, status, length in lab.fonts), lab.fonts
        assert not lab.elsewhere, f"requests that left the lab: {lab.elsewhere[:5]}"
