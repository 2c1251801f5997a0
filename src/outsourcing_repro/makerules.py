"""Write the make fragment that builds the notebooks (build/rules.mk), from the outline.

    python -m outsourcing_repro.makerules build/rules.mk

One rule per executed notebook of outline.yml, in report order:
- targets: the executed notebook and every `output:` its parameters cell declares;
- prerequisites, each through its content stamp $(STAMPS)/<path>.sha256 (so touching a file
  without changing its bytes reruns nothing): the text notebook, every `input:`/`inputs:` file,
  and every module of the package the notebook imports, directly or through another module, traced
  from the `import` statements (plus the runner that executes it, and the package files a module
  names through config, such as the font plotting.py loads);
- $(ARGS)/<name>.args, holding the runner's command line, rewritten only when it changes, so a
  notebook reruns when its own parameters in the outline change and no other does.
The Makefile defines the stamp rule, RUN, STAMPS, ARGS and SETUP, and includes this fragment.
"""

from __future__ import annotations

import ast
import shlex
import sys
from functools import cache
from pathlib import Path

from . import config, outline, runner_params

PACKAGE = "outsourcing_repro"
# Every notebook is executed by the runner (which normalises what it writes) in the warm kernel.
EXECUTORS = ("runner", "warm")


def _module_file(name: str) -> Path | None:
    path = config.PACKAGE_DIR / f"{name}.py"
    return path if path.is_file() else None


@cache
def _tree(path: Path, mtime_ns: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _runtime_nodes(tree: ast.AST):
    """ast.walk without the bodies of `if TYPE_CHECKING:` blocks (annotations only)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                todo.extend(child.orelse)
            else:
                todo.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(path: Path, *, in_package: bool) -> set[str]:
    """The package modules `path` imports anywhere in its code (a lazy import inside a function
    counts: it runs when the function does; one under `if TYPE_CHECKING:` never runs)."""
    return set(_imported_modules(path, path.stat().st_mtime_ns, in_package))


@cache
def _imported_modules(path: Path, mtime_ns: int, in_package: bool) -> frozenset[str]:
    # Cached by file and modification time: the rules walk each module's tree once, not once per
    # notebook that reaches it (27 notebooks times ~40 modules took 20 s of a cold build's start).
    tree = _tree(path, mtime_ns)
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == PACKAGE and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and in_package:
                base = module.split(".")[0] if module else ""
            elif node.level == 0 and module.split(".")[0] == PACKAGE:
                base = module.split(".")[1] if "." in module else ""
            else:
                continue
            if base:
                found.add(base)
            else:  # `from . import a, b` / `from outsourcing_repro import a`: a and b may be modules
                found.update(a.name for a in node.names if _module_file(a.name))
    return frozenset(m for m in found if _module_file(m))


# What a module that reads the outline at run time (series.CATALOG) depends on: the outline's
# `series:` section, copied here by rules() only when it changes, so that adding a notebook to the
# outline does not rerun the regressions. The runner reads the outline only to check a parameter
# value (runner_params), which the notebook's own args file already captures; the report's modules
# read it for the parts and their order, and the report rule depends on outline.yml itself.
OUTLINE_SERIES = "series.json"
OUTLINE_SERIES_EXEMPT = {"outline", "runner_params", "makerules", "report", "report_items", "report_pages"}


def reads_outline(module: str) -> bool:
    path = _module_file(module)
    return _reads_outline(module, path, path.stat().st_mtime_ns)


@cache
def _reads_outline(module: str, path: Path, mtime_ns: int) -> bool:
    tree = _tree(path, mtime_ns)
    return module not in OUTLINE_SERIES_EXEMPT and any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "load"
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "outline"
        for n in ast.walk(tree)
    )


def resources(module: str) -> set[Path]:
    """Package files (not code) a module names through config, e.g. config.FONT_PATH."""
    path = _module_file(module)
    return set(_resources(module, path, path.stat().st_mtime_ns))


@cache
def _resources(module: str, path: Path, mtime_ns: int) -> frozenset[Path]:
    tree = _tree(path, mtime_ns)
    out = set()
    if reads_outline(module):
        out.add(config.BUILD_DIR / "args" / OUTLINE_SERIES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "config":
            value = getattr(config, node.attr, None)
            if isinstance(value, Path) and value.is_file() and config.PACKAGE_DIR in value.parents:
                out.add(value)
    return frozenset(out)


def closure(modules: set[str]) -> set[str]:
    todo, seen = list(modules), set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(imported_modules(_module_file(m), in_package=True) - seen)
    return seen


def code_dependencies(notebook: Path) -> list[str]:
    """Project-relative files whose change must rerun `notebook`: the package modules it imports
    (transitively), the package's __init__ (run by every import) and the executors."""
    modules = closure(imported_modules(notebook, in_package=False) | {m for m in EXECUTORS if _module_file(m)})
    files = {_module_file(m) for m in modules} | {config.PACKAGE_DIR / "__init__.py"}
    for m in modules:
        files |= resources(m)
    return sorted(config.relative(f) for f in files if not f.is_relative_to(config.BUILD_DIR / "args"))


def outline_dependencies(notebook: Path) -> list[str]:
    """$(ARGS) files a notebook depends on besides its own (the outline's series, if read)."""
    modules = closure(imported_modules(notebook, in_package=False))
    return [OUTLINE_SERIES] if any(reads_outline(m) for m in modules) else []


def command(entry: outline.Entry, declared: dict) -> list[str]:
    """The runner's arguments: the outline's parameters, and every path parameter spelled out
    (defaults included), so the build log shows each notebook's inputs and outputs."""
    params = {d.name: d.default for d in declared.values() if d.role} | entry.parameters
    args = [entry.source, entry.executed]
    for name, value in params.items():
        if name not in declared:
            raise outline.OutlineError(
                f"{config.relative(config.OUTLINE_FILE)}: notebook '{entry.name}': "
                f"{entry.source} has no parameter '{name}'; it takes: "
                f"{', '.join(declared)}"
            )
        args += ["-p", name, str(value).lower() if isinstance(value, bool) else str(value)]
    return args


def stamp(path: str) -> str:
    return f"$(STAMPS)/{path}.sha256"


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def rules(found: outline.Outline, args_dir: Path) -> str:
    import json

    lines = [f"# Generated from {config.relative(found.path)} by outsourcing_repro.makerules; do not edit.", ""]
    write_if_changed(
        args_dir / OUTLINE_SERIES,
        json.dumps([{"id": s.id, "data": s.data, **s.fields} for s in found.series], ensure_ascii=False, indent=1)
        + "\n",
    )
    notebooks = []
    for entry in found.entries():
        source = config.resolve(entry.source)
        try:
            declared = runner_params.declared_parameters(source)
        except runner_params.ParameterError as exc:
            raise outline.OutlineError(f"notebook '{entry.name}': {exc}") from None
        args = command(entry, declared)
        # The runner checks the values when it runs; here only the paths are needed.
        given = dict(zip(args[3::3], args[4::3], strict=True))
        inputs, outputs = runner_params.declared_files(declared, {d.name: d.default for d in declared.values()} | given)
        args_file = args_dir / f"{entry.name}.args"
        write_if_changed(args_file, shlex.join(args) + "\n")
        prereqs = [stamp(p) for p in [entry.source, *inputs, *code_dependencies(source)]]
        prereqs += [f"$(ARGS)/{a}" for a in outline_dependencies(source)]
        targets = [entry.executed, *outputs]
        lines += [
            f"# {entry.name} (part {entry.part}{', appendix' if entry.appendix else ''})",
            f"{' '.join(targets)} &: {' '.join(prereqs)} $(ARGS)/{entry.name}.args $(SETUP)",
            f"\t$(RUN) {shlex.join(args)}",
            "",
        ]
        notebooks.append(entry.executed)
    lines.append("NOTEBOOKS := " + " ".join(notebooks))
    report = closure(imported_modules(config.PACKAGE_DIR / "report.py", in_package=True) | {"report"})
    lines.append("REPORT_MODULES := " + " ".join(sorted(config.relative(_module_file(m)) for m in report)))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else config.RULES_FILE
    try:
        # The args files go beside the rules (build/args), where the Makefile's $(ARGS) expects them.
        text = rules(outline.load(), target.parent / "args")
    except (outline.OutlineError, runner_params.ParameterError) as exc:
        print(f"error: notebook rules not written: {exc}", file=sys.stderr)
        return 2
    # Rewritten even when unchanged, so that make sees a target newer than its prerequisites.
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
