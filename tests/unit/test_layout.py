"""The layout DESIGN.md promises: platform/ is a source folder, and the three packages exist."""

from __future__ import annotations

import importlib
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_platform_is_not_a_package():
    assert not (REPO / "platform" / "__init__.py").exists()


def test_import_platform_is_the_standard_library():
    # A fresh interpreter started from the repo root, where a `platform` package would win.
    out = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.__file__)"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(out).parent == Path(sysconfig.get_paths()["stdlib"])


def test_packages_exist_with_a_docstring():
    for name in ("tandem", "matching", "reports"):
        module = importlib.import_module(name)
        assert (module.__doc__ or "").strip(), f"{name} has no module docstring"


def test_every_module_has_a_one_line_docstring():
    missing = []
    for folder in ("platform/tandem", "matching", "reports"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text()
            if text.strip() and not text.lstrip().startswith(('"""', "'''", "#!")):
                missing.append(str(path.relative_to(REPO)))
    assert missing == []


def test_every_domain_is_under_the_import_contracts():
    """A new domain folder must join the layer and core contracts in pyproject.toml."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {c["name"]: c for c in config["contracts"]}
    layered = set(next(c for c in contracts.values() if c["type"] == "layers")["containers"])
    core_forbidden = set(next(c for n, c in contracts.items() if n.startswith("core"))["forbidden_modules"])
    domains = {
        f"tandem.{path.parent.name}"
        for path in (REPO / "platform" / "tandem").glob("*/__init__.py")
        if path.parent.name not in {"core", "web", "synthetic"}
    }
    # synthetic (the seed-synthetic generator) writes every domain's rows: no layers of its own.
    assert domains <= layered
    assert domains | {"tandem.web", "tandem.synthetic"} <= core_forbidden
