"""The layers of docs/architecture.md: core is pure, storage knows no Telegram, only bot does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Everything core/ may import: the standard library's pure parts, pydantic, and two pure
# text libraries (rapidfuzz for typos, dateutil for typed dates).
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
    "rapidfuzz",
    "dateutil",
    "hashlib",  # content digests (the calendar feed's events)
    "json",
    "icalendar",  # RFC 5545 text, built in memory (core/calendar.py)
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


def _project_imports(path: Path) -> set[str]:
    """The project modules a file imports, anywhere in it (functions and TYPE_CHECKING too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


PACKAGES = ("bot", "core", "storage")


def _module_graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return {
        name: {target for target in _project_imports(path) if target in modules} - {name}
        for name, path in modules.items()
    }


def test_the_project_has_no_import_cycle():
    graph = _module_graph()
    assert len(graph) > 30  # would pass vacuously on an empty tree
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


MAX_MODULE_LINES = 400
# Not code: the runner's words (bot/texts.py) and Alembic's revisions, written once and kept.
NOT_CODE = {"bot/texts.py"}
NOT_CODE_DIRS = ("storage/migrations/versions/",)


def _code_modules() -> dict[str, int]:
    lengths: dict[str, int] = {}
    for package in ("bot", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in NOT_CODE or name.startswith(NOT_CODE_DIRS):
                continue
            lengths[name] = len(path.read_text().splitlines())
    return lengths


def test_every_code_module_of_bot_and_storage_is_at_most_400_lines():
    lengths = _code_modules()
    assert len(lengths) > 50  # would pass vacuously on an empty tree
    too_long = {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES}
    assert not too_long, f"over {MAX_MODULE_LINES} lines: " + ", ".join(
        f"{name} ({n} lines)" for name, n in sorted(too_long.items())
    )
