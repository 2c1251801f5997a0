"""Write environment.yml from requirements.lock, so conda users get exactly the same pins.

Run by `make lock`; tests/test_environment.py fails if the two ever disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\],]+)==([^\s;]+)")


def pins(lock_text: str) -> list[str]:
    return [f"{m.group(1)}=={m.group(2)}" for line in lock_text.splitlines() if (m := PIN.match(line))]


def main() -> int:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    lines = [
        "# Generated from requirements.lock by tools/sync_environment.py (make lock). Do not edit.",
        "# conda env create -f environment.yml && conda activate outsourcing-repro",
        "name: outsourcing-repro",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {p}" for p in pins(lock)]
    lines += ["      - -e ."]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"environment.yml: {len(pins(lock))} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
