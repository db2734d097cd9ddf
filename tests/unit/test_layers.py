"""The layers of the code, held by reading its imports: only the UI imports Streamlit, specs import
neither torch nor Streamlit, no layer imports from a layer above it, and no module imports
another module's private names."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ffnviz"
# Lower layers first; a module may import from its own layer and the ones before it. The
# package's root modules sit beside a package: surfaces.py (the 2-D loss surfaces a spec names)
# beside specs/, devices.py beside data/, conv_explainer.py (torch's conv2d taken apart) beside nn/,
# page_links.py (every page's link, read with its defaults) beside lessons.py, and first_seconds.py
# (when each page's default counts as solved) and gallery.py (the lessons in course order) beside
# them. store/ (classes and saved runs in a database) reads runs and links, and only the UI reads it.
# turns.py (a first-come-first-served lock) is plain threading, beside limits.
LAYERS = (("limits", "turns"), ("i18n",), ("specs", "surfaces"), ("data", "devices"), ("nn", "conv_explainer"),
          ("train",), ("viz",), ("lessons", "page_links", "first_seconds", "gallery"), ("store",), ("ui",))
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    return [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ImportFrom | ast.Import)]


def _imported_modules(path: Path) -> set[str]:
    out = set()
    for node in _imports(path):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif node.module:
            out.add(node.module)
    return out


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_only_the_ui_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in _modules()
                 if "ui" not in p.relative_to(PACKAGE).parts
                 and any(m.split(".")[0] == "streamlit" for m in _imported_modules(p))]
    assert offenders == []


def test_no_layer_imports_from_a_layer_above_it():
    wrong = []
    for path in _modules():
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        for module in _imported_modules(path):
            if module.startswith("ffnviz.") and LEVEL[_layer(module)] > LEVEL[own]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_no_module_imports_another_modules_private_names():
    paths = [*_modules(), *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "benchmarks").rglob("*.py"))]
    private = [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for path in paths for node in _imports(path)
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("ffnviz", "tests"))
               for a in node.names if a.name.startswith("_") and not a.name.endswith("__")]
    assert private == []


@pytest.mark.parametrize("package", ["ffnviz.specs", "ffnviz.viz"])
def test_specs_and_charts_load_without_torch_or_streamlit(package):
    """A spec crosses processes and a chart is a pure function of numbers: neither needs torch."""
    code = ("import importlib, pkgutil, sys\n"
            f"pkg = importlib.import_module({package!r})\n"
            "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(sorted(k for k in ('torch', 'streamlit') if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_every_ffnviz_name_a_benchmark_or_test_imports_exists():
    """Benchmarks are not run by the suite: a module moved under them would fail only when someone
    measures. Every `from ffnviz... import name` they (and the tests) make must resolve."""
    missing = []
    for path in [*sorted((ROOT / "benchmarks").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]:
        for node in _imports(path):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ffnviz"):
                module = importlib.import_module(node.module)
                missing += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                            if not hasattr(module, a.name) and importlib.util.find_spec(f"{node.module}.{a.name}") is None]
    assert missing == []
