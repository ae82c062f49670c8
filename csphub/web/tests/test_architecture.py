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
    "web",
    "reports",
    "meetings",
    "casework",
    "offenders",
    "intelligence",
    "performance",
    "structure",
    "strategy",
    "accounts",
    "places",
    "lib",
    "analytics",
]


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


@pytest.mark.parametrize("app", [a for a in LAYERS if (CSPHUB / a).is_dir()])
def test_apps_import_only_the_apps_below_them(app):
    rank = LAYERS.index(app)
    wrong = [
        f"{path.relative_to(CSPHUB)} imports {module}"
        for path in python_files(app)
        for module in imported_modules(path)
        if (other := app_of(module)) and LAYERS.index(other) < rank
    ]
    assert not wrong, "\n".join(wrong)


def test_apps_never_import_other_apps_views():
    wrong = [
        f"{path.relative_to(CSPHUB)} imports {module}"
        for app in LAYERS
        if (CSPHUB / app).is_dir()
        for path in python_files(app)
        for module in imported_modules(path)
        if (other := app_of(module)) and other != app and module.endswith(".views")
    ]
    assert not wrong, "\n".join(wrong)


def test_analytics_uses_no_django():
    wrong = [
        f"{path.relative_to(CSPHUB)} imports {module}"
        for path in python_files("analytics")
        for module in imported_modules(path)
        if module.split(".")[0] == "django"
    ]
    assert not wrong, "\n".join(wrong)


def test_lib_uses_no_models_or_database():
    wrong = [
        f"{path.relative_to(CSPHUB)} imports {module}"
        for path in python_files("lib")
        for module in imported_modules(path)
        if module.startswith(("django.db", "django.contrib"))
    ]
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
