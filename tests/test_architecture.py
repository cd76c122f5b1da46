"""The area contract of docs/ARCHITECTURE.md, held by a test rather than by care.

Every rule is checked over the whole package, so a new area (or a new file in an old one) is held to
it without editing this test. Where the code breaks a rule on purpose, the exception is listed here
with its reason.
"""

import ast
import graphlib
import re
from pathlib import Path

import pytest

import fieldkit
from fieldkit.config import DEFAULTS
from fieldkit.db import MIGRATION_SETS

PACKAGE = Path(fieldkit.__file__).parent
NOT_AREAS = {"templates", "translations"}
AREAS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in NOT_AREAS)

# Core modules may import an area only for these reasons.
CORE_IMPORTS_ALLOWED = {
    "__init__.py": "create_app() initialises every area; upgrade_database() runs units and forms",
    "cli.py": "the root command group: init and serve reach the areas they set up",
    "shell.py": "the home page is behind auth's login_required",
    "serve.py": "serve prints the LAN addresses the TLS area finds",
    "backup.py": "a backup is stamped with the audit log's clock",
    "testing.py": "tests and benchmarks get a ready app with a user per role (auth.users)",
}
# Modules outside views that read the request: the request plumbing itself.
REQUEST_PLUMBING = {
    "auth/access.py": "loads the signed-in user for every request",
    "auth/sessions.py": "checks the session cookie against the server's list",
    "auth/throttle.py": "counts failed logins per address",
    "shell.py": "security headers and error pages for every request",
    "i18n.py": "picks the language of the request",
    "offline/compress.py": "gzips answers the browser accepts gzipped",
}
# Config keys create_app derives rather than takes from defaults.
DERIVED_CONFIG = {"DATABASE", "FORMS_DIR", "UNINITIALISED"}


def modules(folder=PACKAGE):
    for path in sorted(folder.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(tree):
    """Absolute names ('flask', 'fieldkit.posters.codes' as '..posters.codes') a module imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield base
            if not node.module:
                yield from (base + alias.name for alias in node.names)


def area_of_import(module_path, name):
    """The area an import in `module_path` (relative to the package) reaches, or None."""
    if name.startswith("fieldkit."):
        first = name.split(".")[1]
    elif name.startswith("."):
        depth = len(name) - len(name.lstrip("."))
        parts = module_path.split("/")[:-1]
        parts = parts[: len(parts) - (depth - 1)] if depth > 1 else parts
        rest = name.lstrip(".").split(".")
        first = (parts + rest)[0] if parts or rest else None
    else:
        return None
    return first if first in AREAS else None


def test_there_are_areas():
    assert {"auth", "rosters", "submissions", "posters", "sync"} <= set(AREAS)


def test_every_area_is_initialised_by_the_factory():
    factory = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    for area in AREAS:
        if "def init_app" in (PACKAGE / area / "__init__.py").read_text(encoding="utf-8"):
            assert f"{area}.init_app(app)" in factory, f"create_app() does not call {area}.init_app"


def test_commands_live_in_cli_modules():
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(call, ast.Attribute) and call.attr in ("command", "group"):
                        assert name.endswith("cli.py"), f"{name}: command {node.name} belongs in cli.py"


def test_migrations_live_in_migrations_modules_and_are_all_applied():
    for name, tree in modules():
        makes = any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Migrations" for node in ast.walk(tree)
        )
        if makes:
            assert name.endswith("migrations.py") or name == "changes.py", f"{name} makes a migration set"
            dotted = "fieldkit." + name.removesuffix(".py").replace("/", ".")
            assert dotted in MIGRATION_SETS, f"{dotted} is not listed in db.MIGRATION_SETS"


def test_demo_loaders_live_in_demo_modules(app):
    loaders = app.extensions["fieldkit.demo"]
    assert loaders
    for _, loader in loaders:
        assert loader.__module__.endswith(".demo"), f"{loader.__module__}.{loader.__name__} belongs in demo.py"


def test_blueprints_live_in_view_modules(app):
    for name, blueprint in app.blueprints.items():
        module = blueprint.import_name.rsplit(".", 1)[-1]
        allowed = module in ("views", "api") or module.endswith("_views")
        allowed = allowed or blueprint.import_name in ("fieldkit.shell", "fieldkit.offline.sw")
        assert allowed, f"blueprint {name} is defined in {blueprint.import_name}, not in a views module"


def test_only_views_read_the_request():
    for name, tree in modules():
        reads = any(
            (isinstance(node, ast.ImportFrom) and node.module == "flask" and "request" in {a.name for a in node.names})
            for node in ast.walk(tree)
        )
        if reads:
            stem = name.rsplit("/", 1)[-1].removesuffix(".py")
            is_view = stem in ("views", "api") or stem.endswith("_views") or name == "offline/sw.py"
            assert is_view or name in REQUEST_PLUMBING, f"{name} reads the request: pass values from the view"


RENDERER = re.compile(r"(^|/)(pdf|qr|render\w*|wording|charts?|notice|ics|xlsx|csv_?\w*)\.py$")


def test_renderers_are_pure():
    """PDF, QR, charts, calendars, spreadsheets: data in, bytes out, no Flask (words may come through Babel)."""
    found = 0
    for name, tree in modules():
        if RENDERER.search(name):
            found += 1
            flask = [m for m in imported_modules(tree) if m.split(".")[0] in ("flask", "werkzeug")]
            assert not flask, f"{name} is a renderer but imports {flask}"
    assert found >= 4


def test_core_modules_import_areas_only_where_listed():
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reached = {area_of_import(path.name, m) for m in imported_modules(tree)} - {None}
        if reached:
            assert path.name in CORE_IMPORTS_ALLOWED, f"core module {path.name} imports areas {sorted(reached)}"


def area_graph():
    graph = {area: set() for area in AREAS}
    for name, tree in modules():
        if "/" not in name:
            continue
        area = name.split("/")[0]
        for imported in imported_modules(tree):
            other = area_of_import(name, imported)
            if other and other != area:
                graph[area].add(other)
    return graph


def test_areas_import_each_other_in_one_direction():
    """No cycle between areas: an area that needs one to its right takes a hook (submissions.hooks, nav, demo)."""
    try:
        list(graphlib.TopologicalSorter(area_graph()).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"areas import each other in a cycle: {' -> '.join(cycle.args[1])}")


def test_every_config_key_read_has_a_default():
    read = set()
    pattern = re.compile(r"config(?:\.get\(|\[)\"([A-Z][A-Z0-9_]+)\"")
    for path in PACKAGE.rglob("*.py"):
        read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    from flask import Flask

    flask_defaults = set(Flask(__name__).config)
    missing = read - set(DEFAULTS) - flask_defaults - DERIVED_CONFIG
    assert not missing, f"config keys read without a default in fieldkit/config.py: {sorted(missing)}"


# Modules outside views that may name HTTP errors, and why.
HTTP_ERRORS_ALLOWED = {
    "shell.py": "turns HTTP errors (a 404 from the URL map, a 405, a 413) into the error pages and the JSON shape",
}


def test_domain_code_raises_domain_errors_not_http_ones():
    """Only views abort; operations raise a UserFacingError (errors.Forbidden, errors.NotFound, …)."""
    for name, tree in modules():
        stem = name.rsplit("/", 1)[-1].removesuffix(".py")
        if stem in ("views", "api") or stem.endswith("_views") or name in HTTP_ERRORS_ALLOWED:
            continue
        http = [m for m in imported_modules(tree) if m.startswith("werkzeug.exceptions")]
        assert not http, f"{name} imports {http}: raise a fieldkit.errors.UserFacingError subclass instead"
        aborts = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "flask" and "abort" in {a.name for a in node.names}
        ]
        assert not aborts, f"{name} imports flask.abort: raise a fieldkit.errors.UserFacingError subclass instead"


# Exception classes a user never reads, and why.
INTERNAL_ERRORS = {
    "fieldkit.formspec.types.Invalid": "a value's problem key; validate.py turns it into the field's message",
    "fieldkit.explainer.webm.NotWebm": "why the bytes are no WebM, for the log; the user reads audio's Rejected",
    "fieldkit.auth.access.PickCommune": "not an error: the commune picker answers it",
}


def test_every_error_a_user_reads_is_user_facing():
    import importlib
    import inspect

    from fieldkit.errors import UserFacingError

    found = 0
    for name, _tree in modules():
        dotted = "fieldkit." + name.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        module = importlib.import_module(dotted)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != dotted or not issubclass(cls, Exception):
                continue
            found += 1
            qualified = f"{dotted}.{cls_name}"
            assert issubclass(cls, UserFacingError) or qualified in INTERNAL_ERRORS, (
                f"{qualified} is an error a user reads: derive it from fieldkit.errors.UserFacingError"
            )
    assert found >= 15


TESTS = PACKAGE.parent / "tests"


def test_tests_import_helpers_from_fieldkit_testing_not_from_conftest_or_other_tests():
    """conftest.py only wires fixtures; a helper two test files share lives in fieldkit.testing or a helper module."""
    for path in sorted(TESTS.rglob("*.py")):
        for imported in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            last = imported.rsplit(".", 1)[-1]
            where = path.relative_to(TESTS.parent)
            assert last != "conftest", f"{where} imports {imported}: import it from fieldkit.testing"
            assert not last.startswith("test_"), f"{where} imports the test module {imported}: share it as a helper"
