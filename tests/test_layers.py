"""The apps stack like floors (README, "What is where"): each imports only the floors below it.

An AST walk over every module of every app, deferred imports inside functions included, so a
dependency cannot hide in a function body. Migrations are left out: they name other apps'
migrations, which is Django's business, not ours.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. A module may import its own floor and the floors below it.
LAYERS = [
    "prep.lib",  # kinds, sources, formatting: plain helpers every app may use
    "scoring",  # the pure engine: specs in, result out
    "accounts",
    "rubrics",
    "questions",
    "rounds",
    "feedback",
    "attempts",  # practising chosen questions, retries compared, fix-it drills
    "progress",  # the candidate's history read back: progress charts and the plan
    "coaching",
    "practice",
    "prep",  # settings, URLs, the Celery app
]
APPS = [layer for layer in LAYERS if layer != "prep.lib"]
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def floor_of(module: str) -> int | None:
    """The floor a dotted module name belongs to, or None for anything outside the apps."""
    if module == "prep.lib" or module.startswith("prep.lib."):
        return LAYERS.index("prep.lib")
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                files.append(path)
    return files


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in the file, relative ones resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # `from feedback import selectors` imports the module feedback.selectors.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in RELATIONS:
            # ForeignKey("rounds.Answer", ...) depends on rounds as much as an import does.
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Constant) and "." in str(target.value):
                found.append((node.lineno, str(target.value).split(".")[0] + ".models"))
    return found


def upward_imports() -> list[str]:
    problems = []
    for path in python_files():
        here = floor_of(module_name(path))
        for line, module in imports_of(path):
            there = floor_of(module)
            if here is not None and there is not None and there > here:
                problems.append(
                    f"{path.relative_to(ROOT)}:{line} imports {module} ({LAYERS[there]})"
                )
    return problems


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The walk itself works: a deferred import of feedback from rounds is caught."""
    app = tmp_path / "rounds"
    app.mkdir()
    (app / "services.py").write_text("def f():\n    from feedback import tasks\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "APPS", ["rounds"])
    assert upward_imports() == ["rounds/services.py:2 imports feedback.tasks (feedback)"]


def module_graph() -> dict[str, set[str]]:
    """Which app modules each app module imports (a package import counts as its __init__)."""
    names = {module_name(path) for path in python_files()}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in python_files():
        source = module_name(path)
        for _, module in imports_of(path):
            # `from a.b import c` is the module a.b.c when that exists, else a.b.
            target = module if module in names else module.rsplit(".", 1)[0]
            if target in names and target != source:
                graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_import_cycles():
    # A package's __init__ that re-exports its own modules is not a cycle worth naming.
    graph = module_graph()
    for source, targets in graph.items():
        graph[source] = {t for t in targets if not source.startswith(t + ".")}
    assert cycles(graph) == []


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert cycles(graph) == expected


def test_the_scoring_engine_has_no_database():
    """scoring takes plain specs and returns a result: no models, no ORM, no app of ours."""
    for path in sorted((ROOT / "scoring").rglob("*.py")):
        for line, module in imports_of(path):
            assert not module.startswith(("django.db", "django.contrib")), (path, line, module)
            floor = floor_of(module)
            assert floor is None or floor <= LAYERS.index("scoring"), (path, line, module)
    assert not (ROOT / "scoring" / "models.py").exists()
