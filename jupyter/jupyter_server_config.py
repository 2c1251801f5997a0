"""The project's JupyterLab: `make lab` sets JUPYTER_CONFIG_DIR to this folder, so Jupyter reads this
file (and custom/custom.css) instead of ~/.jupyter, and stores its user settings and workspaces in
jupyter/lab/ (git-ignored).

What it sets, and why:
- the server listens on 127.0.0.1 only, with the project root as its root, so that
  /lab/tree/notebooks/<name>.py opens a notebook;
- every kernel it starts works in the project root, as the pipeline's runner does: a path such as
  "data/raw/paper_b_values.csv" means the same file in a researcher's own cell as in `make report`
  (Jupyter's default would be the notebook's folder, notebooks/);
- new notebooks and consoles get the project's kernel;
- checkpoints (the copy File > Revert goes back to) are kept in build/lab-checkpoints/, not in an
  .ipynb_checkpoints/ folder beside each file: a copy of a module inside src/ would count as code
  (the report's input fingerprint hashes src/outsourcing_repro/**/*.py);
- custom/custom.css gives the page the shipped CJK font (no system font needed);
- app-settings/overrides.json turns off the news and update checks (the page fetches nothing);
- labextensions/outsourcing-repro-lab makes a .py file directly in notebooks/ open as a notebook
  (JupyterLab picks a viewer by file name only, so this cannot be a setting; see its
  static/remoteEntry.js).
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from outsourcing_repro import config as project

HERE = Path(__file__).resolve().parent


class ProjectRootKernelManager(AsyncMappingKernelManager):
    """Starts every kernel in the server's root (the project root), whichever notebook asks."""

    def cwd_for_path(self, path, **kwargs):
        return self.root_dir


class BuildDirCheckpoints(AsyncFileCheckpoints):
    """Keeps the checkpoint of <folder>/<name><ext> as build/lab-checkpoints/<folder>/<name>-<id><ext>."""

    def checkpoint_path(self, checkpoint_id, path):
        parent, _, name = path.strip("/").rpartition("/")
        basename, ext = os.path.splitext(name)
        folder = project.BUILD_DIR / "lab-checkpoints" / parent
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / f"{basename}-{checkpoint_id}{ext}")


c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)

c.ServerApp.ip = "127.0.0.1"
# Containers and CI run as root; the server is reachable from this machine only.
c.ServerApp.allow_root = True
c.ServerApp.root_dir = str(project.PROJ_ROOT)
c.ServerApp.kernel_manager_class = ProjectRootKernelManager
c.MappingKernelManager.default_kernel_name = project.KERNEL_NAME
c.ContentsManager.checkpoints_class = BuildDirCheckpoints

c.LabApp.custom_css = True
# app-settings/overrides.json: defaults for this lab (no news or update checks: nothing fetched).
c.LabApp.app_settings_dir = str(HERE / "app-settings")
# Extensions come from requirements.lock, not from the page.
c.LabApp.extension_manager = "readonly"
c.LabApp.extra_labextensions_path = [str(HERE / "labextensions")]
# Read by the extension above: the folder whose .py files are notebooks, relative to the root.
c.ServerApp.tornado_settings = {
    "page_config_data": {
        "outsourcingReproNotebooksDir": project.NOTEBOOKS_DIR.relative_to(project.PROJ_ROOT).as_posix()
    }
}
