"""The benchmarks and corpus scripts name only what framingclf has.

They run by hand, not in the tests, so an API change could leave one broken unseen: every
``from framingclf... import name`` in them must resolve.
"""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("corpora/scripts/*.py")])


def framingclf_imports(path: Path) -> list[tuple[str, str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("framingclf"):
            found += [(node.module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names
                      if alias.name.startswith("framingclf")]
    return found


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_imports_resolve(path):
    for module_name, name, line in framingclf_imports(path):
        module = importlib.import_module(module_name)
        if name and not hasattr(module, name):
            importlib.import_module(f"{module_name}.{name}")  # a submodule, or an error
        assert not name or hasattr(module, name), f"{path.name}:{line}: {module_name}.{name}"


def test_there_are_scripts_to_check():
    assert len(SCRIPTS) > 10
