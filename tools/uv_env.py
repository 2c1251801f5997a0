"""Print shell `export` lines that give uv the package indexes pip is configured with.

    eval "$(.venv/bin/python tools/uv_env.py)"

uv does not read pip's configuration (pip.conf, PIP_* variables), so without this a machine whose pip
uses a local mirror or a wheel folder would send uv to pypi.org. `make setup` runs it before
`uv pip install`. pip treats all its indexes alike, so uv is told to do the same
(UV_INDEX_STRATEGY=unsafe-best-match); without it uv takes each package from the first index that
has it, and fails when that index lacks the pinned version.
"""

from __future__ import annotations

import shlex
import subprocess
import sys

KEYS = {"index-url": "UV_INDEX_URL", "extra-index-url": "UV_EXTRA_INDEX_URL", "find-links": "UV_FIND_LINKS"}


def main() -> int:
    try:
        listing = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    found: dict[str, str] = {}
    for line in listing.splitlines():
        name, _, value = line.partition("=")
        key = name.rsplit(".", 1)[-1]
        # The environment (":env:") wins over files, as in pip.
        if key in KEYS and value and (KEYS[key] not in found or name.startswith(":env:")):
            found[KEYS[key]] = value.strip("'\"")
    found["UV_INDEX_STRATEGY"] = "unsafe-best-match"
    for var, value in found.items():
        if var == "UV_EXTRA_INDEX_URL" or var == "UV_FIND_LINKS":
            value = " ".join(value.split())
        print(f"export {var}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
