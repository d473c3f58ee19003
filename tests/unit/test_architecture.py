"""The rules of the house, checked by tools rather than memory (layout issue).

import-linter holds the layer and forbidden-import contracts of pyproject.toml; the
other checks here are the ones a linter does not express: file size and where paths live.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "rxapp"


def _lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return exe


def test_import_contracts_hold():
    result = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_reflex_below_the_states():
    offenders = []
    for layer in ("models", "services", "mail", "scheduler"):
        for path in (APP / layer).rglob("*.py"):
            if re.search(r"^\s*(import reflex|from reflex)", path.read_text(), re.M):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_file_in_rxapp_over_500_lines():
    long_files = {
        str(p.relative_to(ROOT)): n
        for p in APP.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert long_files == {}


def test_pages_hold_no_path_literals():
    # Every path lives in rxapp/routes.py; a page composes links from it.
    literal = re.compile(r"""["'](/api/|/i/|/join/|/reset/|/participants|/team)""")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (APP / "pages").rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_every_feature_registers_its_own_pages():
    import rxapp.rxapp  # noqa: F401  (imports the features, which register their pages)
    from rxapp import routes
    from rxapp.pages.registry import registered_pages

    registered = {spec.route for spec in registered_pages()}
    for route in (routes.LOGIN, routes.PARTICIPANTS, routes.TEAM, routes.TAKE, routes.JOIN):
        assert route in registered
    app_source = (APP / "rxapp.py").read_text()
    assert "add_page(" not in app_source
    assert len(app_source.splitlines()) < 60


def test_no_page_state_shadows_a_var_of_app_state():
    # A page state's own `language` (a form field) once hid AppState's UI language, so
    # that page translated into the form's value. Reflex allows the shadowing silently.
    import rxapp.rxapp  # noqa: F401  (imports every page, so every state exists)
    from rxapp.states.base import AppState

    shared = set(AppState.base_vars) | set(AppState.computed_vars)
    todo, clashes = list(AppState.__subclasses__()), []
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        own = (set(cls.base_vars) | set(cls.computed_vars)) & shared
        clashes += [f"{cls.__name__}.{name}" for name in sorted(own)]
    assert clashes == []
