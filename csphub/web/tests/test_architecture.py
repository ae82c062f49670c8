"""The architecture stays visible: import direction, migrations, pure analytics."""

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CSPHUB = Path(__file__).resolve().parents[2]

# shared/DESIGN.md's table, top to bottom: an app may import only apps below it.
# `lib` is not an app but the shared helpers every app uses (months and periods,
# form fields, CSV responses, paging): it imports no app, and it uses Django
# (forms, responses) though never models or the database, so it sits just
# above `analytics`, which stays free of Django and does not import it.
LAYERS = [
    "web", "reports", "meetings", "delivery", "casework", "offenders",
    "intelligence", "performance", "structure", "strategy", "accounts",
    "places", "lib", "analytics",
]  # fmt: skip


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def app_of(module):
    parts = module.split(".")
    if parts[0] == "csphub" and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return None


def python_files(app):
    return sorted((CSPHUB / app).rglob("*.py"))


def imports_where(apps, wrong):
    """Each import in the apps' files that wrong(app, module) picks, written
    as "<path> imports <module>"."""
    return [
        f"{path.relative_to(CSPHUB)} imports {module}"
        for app in apps
        for path in python_files(app)
        for module in imported_modules(path)
        if wrong(app, module)
    ]


@pytest.mark.parametrize("app", [a for a in LAYERS if (CSPHUB / a).is_dir()])
def test_apps_import_only_the_apps_below_them(app):
    rank = LAYERS.index(app)
    wrong = imports_where(
        [app],
        lambda _, module: (other := app_of(module)) and LAYERS.index(other) < rank,
    )
    assert not wrong, "\n".join(wrong)


def test_apps_never_import_other_apps_views():
    wrong = imports_where(
        [app for app in LAYERS if (CSPHUB / app).is_dir()],
        lambda app, module: (
            (other := app_of(module)) and other != app and module.endswith(".views")
        ),
    )
    assert not wrong, "\n".join(wrong)


def test_analytics_uses_no_django():
    wrong = imports_where(
        ["analytics"], lambda _, module: module.split(".")[0] == "django"
    )
    assert not wrong, "\n".join(wrong)


def test_lib_uses_no_models_or_database():
    wrong = imports_where(
        ["lib"],
        lambda _, module: module.startswith(("django.db", "django.contrib")),
    )
    assert not wrong, "\n".join(wrong)


def test_apps_below_web_do_not_link_to_its_pages():
    """A model's URL is its own app's page: `places` reversing `web:` made the
    lowest app depend on the top one."""
    wrong = [
        f"{path.relative_to(CSPHUB)} names {node.value}"
        for app in LAYERS[1:]
        if (CSPHUB / app).is_dir()
        for path in python_files(app)
        if "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("web:")
    ]
    assert not wrong, "\n".join(wrong)


def private_imports(path):
    """`from x import _name` in a module: a private name used across modules."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{'.' * node.level}{node.module or ''}.{alias.name}"


def test_no_private_name_is_imported_from_another_module():
    """A name another module needs is public: give it a name without `_`
    (or make it a model or queryset method) rather than import `_name`."""
    wrong = [
        f"{path.relative_to(CSPHUB)} imports {name}"
        for path in sorted(CSPHUB.rglob("*.py"))
        for name in private_imports(path)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def module_name(path):
    parts = list(path.relative_to(CSPHUB.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_within_app(path, app, modules):
    """Modules of `app` that `path` imports anywhere in it (function bodies
    too), with relative imports resolved: `from . import services` names
    csphub.<app>.services, `from .kpi import x` names csphub.<app>.kpi."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            # the longest prefix that is a module of this app
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target.startswith(f"csphub.{app}."):
                yield target


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for succ in graph.get(todo.pop(), ()):
            if succ not in seen:
                seen.add(succ)
                todo.append(succ)
    return seen


def import_cycles(app):
    """Each cycle among the modules of one app, as a sorted list of names."""
    files = {module_name(p): p for p in python_files(app) if "tests" not in p.parts}
    graph = {
        m: {t for t in imports_within_app(p, app, files) if t != m}
        for m, p in files.items()
    }
    reach = {m: reachable(graph, m) for m in graph}
    cycles = {
        tuple(sorted({m} | {n for n in reach[m] if m in reach[n]}))
        for m in graph
        if m in reach[m]
    }
    return sorted(list(c) for c in cycles)


@pytest.mark.parametrize("app", [a for a in LAYERS if (CSPHUB / a).is_dir()])
def test_no_import_cycle_within_an_app(app):
    """Modules of an app depend in one direction, function-local imports
    included: a cycle breaks when a command imports the modules in another
    order than the test process did (issue 10)."""
    cycles = import_cycles(app)
    assert not cycles, "\n".join(" <-> ".join(c) for c in cycles)
