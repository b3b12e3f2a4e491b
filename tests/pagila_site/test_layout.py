"""The code's shape: no import cycles, roles in pagila_site, settings that start nothing."""

from __future__ import annotations

import ast
import os
import resource
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("pagila_site", "films", "rentals", "assistant")
# The roles inside the project package; every module of it belongs to exactly one.
ROLES = {"config", "api", "middleware", "serving", "pagila"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that `path` imports (at any depth of the file)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in modules)
    return found


def test_no_import_cycle_between_project_modules() -> None:
    modules = project_modules()
    graph = {name: imports_of(path, modules) - {name} for name, path in modules.items()}
    # A package's __init__ being imported on the way to its submodule is not a dependency.
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None


def test_every_module_of_the_project_package_has_a_role() -> None:
    package = ROOT / "pagila_site"
    loose = [p.name for p in package.glob("*.py") if p.name != "__init__.py"]
    folders = {p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert loose == []
    assert folders == ROLES


def test_importing_the_settings_starts_no_process_and_touches_no_disk(tmp_path: Path) -> None:
    data_dir = tmp_path / "pgdata"
    script = (
        "import pathlib\n"
        "import pagila_site.config.settings as s\n"
        # The process's own children, as its threads list them (as bench/common.py reads them):
        # no scan of every process, whose ending ones raced with the reading.
        "tasks = pathlib.Path('/proc/self/task').iterdir()\n"
        "children = [c for t in tasks for c in (t / 'children').read_text().split()]\n"
        "print(len(children), s.DATABASES['default']['HOST'] == '')\n"
    )
    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL",)}
    environment |= {"EMBEDDED_PG_DIR": str(data_dir), "ENV_FILE": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["0", "True"]
    assert not data_dir.exists()


def test_commands_skip_semantic_kernel_and_servers_load_it_before_they_serve() -> None:
    """Every view is importable without the SDKs (manage.py commands, `check` included, start
    in a third of the time); a server process (what imports the ASGI entry point) has them
    loaded before its first request, frozen out of garbage collections, which it runs less
    often, and its limit on open files lifted."""
    script = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "sdks = {'openai', 'semantic_kernel'}\n"
        "loaded = lambda: sorted({m.split('.')[0] for m in sys.modules} & sdks)\n"
        "print(loaded())\n"
        "import pagila_site.config.asgi\n"
        "print(loaded())\n"
        "import gc, resource\n"
        "print(gc.get_threshold(), gc.get_freeze_count() > 100_000)\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "print(soft == hard, soft > 1024)\n"
    )
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pagila_site.config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        # Started as many systems start a process: at most 1,024 open files until it asks.
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard)),
    )
    assert result.stdout.splitlines() == [
        "[]",
        "['openai', 'semantic_kernel']",
        # Collections spaced out (GC_THRESHOLDS), and what is loaded frozen out of them.
        "(700, 10, 100) True",
        # The limit lifted (lift_open_files_limit): 1,000 streams need more than 1,024.
        "True True",
    ]
