"""The Dockerfile copies files that exist, runs as a fixed non-root UID and serves with gunicorn.conf.py."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from dataclasses import dataclass, field

import pytest
import yaml

WEB_COMMAND = ["gunicorn", "-c", "/app/gunicorn.conf.py", "tandem.wsgi:app"]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """Global ARG defaults and the stages, with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        elif not stages:
            if keyword == "ARG" and "=" in rest:
                key, _, value = rest.partition("=")
                args[key] = value
        else:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def copy_sources_and_dest(args: str) -> tuple[list[str], list[str], str]:
    """(flags, sources, destination) of a COPY instruction in shell form."""
    words = shlex.split(args)
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    return flags, paths[:-1], paths[-1]


def _matches(path: str, pattern: str) -> bool:
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        # A pattern naming a directory covers everything inside it.
        if fnmatch.fnmatchcase("/".join(parts[:end]), pattern):
            return True
        if pattern.startswith("**/") and any(
            fnmatch.fnmatchcase("/".join(parts[start:end]), pattern[3:]) for start in range(end)
        ):
            return True
    return False


def excluded_by_dockerignore(path: str, patterns: list[str]) -> bool:
    """A simplified .dockerignore matcher: the last matching pattern wins, "!" re-includes."""
    excluded = False
    for pattern in patterns:
        if _matches(path, pattern.lstrip("!").rstrip("/")):
            excluded = not pattern.startswith("!")
    return excluded


@pytest.fixture(scope="module")
def dockerfile(k8s):
    return parse_dockerfile((k8s.REPO / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def ignore_patterns(k8s):
    lines = (k8s.REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


@pytest.fixture(scope="module")
def final(dockerfile):
    return dockerfile[1][-1]


def test_multi_stage_on_python_311_slim(dockerfile, final):
    _, stages = dockerfile
    assert len(stages) >= 2, "build in one stage, run in another"
    for stage in stages:
        assert stage.base.startswith("python:3.11-slim"), stage.base
    runs = " ".join(final.all("RUN"))
    for tool in ("build-essential", "gcc", "pip install", "pip wheel"):
        assert tool not in runs, f"the final stage must not contain {tool}"
    froms = [copy_sources_and_dest(a)[0] for a in final.all("COPY")]
    assert any(f"--from={stages[0].name}" in flags for flags in froms), "copy the builder's venv"


def test_copied_files_exist_and_reach_the_build_context(k8s, dockerfile, ignore_patterns):
    _, stages = dockerfile
    checked = 0
    for stage in stages:
        for args in stage.all("COPY"):
            flags, sources, _ = copy_sources_and_dest(args)
            if any(f.startswith("--from") for f in flags):
                continue
            for source in sources:
                assert (k8s.REPO / source).exists(), f"COPY {source}: no such file in the repository"
                assert not excluded_by_dockerignore(source, ignore_patterns), f"{source} is in .dockerignore"
                checked += 1
    assert checked >= 5


def test_dockerignore_matcher_is_not_a_rubber_stamp(ignore_patterns):
    assert excluded_by_dockerignore(".git", ignore_patterns)
    assert excluded_by_dockerignore(".venv", ignore_patterns)
    assert excluded_by_dockerignore("tests/chart/conftest.py", ignore_patterns)
    assert excluded_by_dockerignore("platform/tandem/__pycache__", ignore_patterns)
    assert not excluded_by_dockerignore("platform/tandem/app.py", ignore_patterns)


def test_runs_as_a_fixed_non_root_uid_matching_the_chart(k8s, final):
    users = final.all("USER")
    assert users, "the final stage must set USER"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and int(uid) != 0, f"USER must be a numeric non-root UID, got {users[-1]!r}"
    assert not gid or (gid.isdigit() and int(gid) != 0)
    assert any(f"--uid {uid}" in run for run in final.all("RUN")), "create the user with that fixed UID"
    values = yaml.safe_load((k8s.CHART / "values.yaml").read_text())
    assert values["podSecurityContext"]["runAsUser"] == int(uid)
    assert values["securityContext"]["runAsUser"] == int(uid)


def test_serves_with_gunicorn_and_the_repository_config(k8s, final, rendered):
    (command,) = final.all("CMD")[-1:] or final.all("ENTRYPOINT")[-1:]
    assert json.loads(command) == WEB_COMMAND
    copies = [copy_sources_and_dest(a) for a in final.all("COPY")]
    assert ([], ["gunicorn.conf.py"], "/app/gunicorn.conf.py") in copies
    assert (k8s.REPO / "gunicorn.conf.py").is_file()
    web = k8s.one(rendered["default"], "Deployment", "tandem-web")
    assert k8s.containers(web)[0]["command"] == WEB_COMMAND


def test_migrations_are_in_the_image_where_the_app_looks(final):
    env = " ".join(final.all("ENV"))
    found = re.search(r"TANDEM_MIGRATIONS_DIR=(\S+)", env)
    assert found, "set TANDEM_MIGRATIONS_DIR in the final stage"
    copies = [copy_sources_and_dest(a) for a in final.all("COPY")]
    assert ([], ["migrations"], found.group(1)) in copies
