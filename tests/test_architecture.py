"""The layers of docs/architecture.md: core is pure, storage knows no Telegram, only bot does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Everything core/ may import: the standard library's pure parts and pydantic.
CORE_ALLOWED = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "difflib",
    "enum",
    "functools",
    "itertools",
    "math",
    "re",
    "typing",
    "zoneinfo",  # the time-zone database; callers still pass `now` and the zone name
    "pydantic",
    "core",
}


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_core_imports_only_pure_modules():
    for path, names in imports_of("core").items():
        assert names <= CORE_ALLOWED, f"{path} imports {sorted(names - CORE_ALLOWED)}"


def test_core_never_reads_the_clock():
    for path in (ROOT / "core").rglob("*.py"):
        text = path.read_text()
        for call in (".now(", ".today(", ".utcnow(", "time.time("):
            assert call not in text, f"{path.name} reads the clock with {call}"


@pytest.mark.parametrize("package", ["storage"])
def test_storage_knows_no_telegram(package):
    for path, names in imports_of(package).items():
        assert not names & {"telegram", "bot"}, (
            f"{path} imports {sorted(names & {'telegram', 'bot'})}"
        )


def test_core_and_storage_exist_with_code():
    # The checks above would pass vacuously on an empty tree.
    assert len(imports_of("core")) >= 5
    assert len(imports_of("storage")) >= 3
