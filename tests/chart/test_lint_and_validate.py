"""The chart lints strictly and every object it renders is valid for Kubernetes 1.27 to 1.31."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

# Kinds from CRDs that kubernetes-validate has no schema for; checked by hand below.
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}

# Values that switch on what neither the defaults nor the examples render.
EXTRA_CASES = {
    "existing-serviceaccount-no-migrations": [
        "serviceAccount.create=false", "serviceAccount.name=tandem-app", "migrations.enabled=false",
    ],
    "pdb-min-available-percent": [
        "web.pdb.minAvailable=50%", "web.pdb.maxUnavailable=null", "web.autoscaling.enabled=true",
        "web.autoscaling.targetMemoryUtilizationPercentage=80",
    ],
    "chart-secret-with-ingress-no-tls": [
        "secret.existingSecret=", "secret.secretKey=0123456789abcdef0123456789abcdef",
        "secret.databaseUrl=postgresql+psycopg://app:pw@db:5432/tandem", "secret.redisUrl=redis://redis:6379/0",
        "secret.migrationDatabaseUrl=postgresql+psycopg://owner:pw@db:5432/tandem",
        "secret.smtpPassword=smtp-pw", "secret.sentryDsn=https://key@sentry.example.com/1",
        "ingress.enabled=true", "cronJobDefaults.timeZone=Europe/Paris", "networkPolicy.enabled=true",
    ],
}


def test_lint_strict(helm, k8s, values_name):
    result = helm.lint(values=k8s.VALUES_SETS[values_name])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 chart(s) linted, 0 chart(s) failed" in result.stdout


def test_lint_fails_on_bad_values(helm, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("web:\n  replicas: two\n")
    result = helm.lint(values=[bad])
    assert result.returncode != 0
    assert "web.replicas" in result.stdout + result.stderr


def _validate(tmp_path, docs: list[dict], version: str) -> None:
    checked = [d for d in docs if (d["apiVersion"], d["kind"]) not in CRD_KINDS]
    assert checked, "nothing rendered"
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(checked))
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "--kubernetes-version", version,
         str(manifest)],
        capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = [line for line in output.splitlines() if " passed for resource " in line]
    # Every object must have been checked against a schema, not skipped as unknown.
    assert len(passed) == len(checked), output


@pytest.mark.parametrize("version", ["1.27", "1.30", "1.31"])
def test_rendered_objects_are_valid_kubernetes(helm, k8s, values_name, version, tmp_path):
    docs = helm.render(values=k8s.VALUES_SETS[values_name], kube_version=f"{version}.0")
    _validate(tmp_path, docs, version)


@pytest.mark.parametrize("case", sorted(EXTRA_CASES))
def test_other_value_combinations_are_valid_kubernetes(helm, case, tmp_path):
    _validate(tmp_path, helm.render(sets=EXTRA_CASES[case]), "1.30")


def test_validation_catches_an_invalid_object(tmp_path):
    """The validator is not a rubber stamp: a misspelt field fails it."""
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "lables": {}}, "data": {}}
    with pytest.raises(AssertionError):
        _validate(tmp_path, [doc], "1.30")


def test_service_monitor_shape(helm, k8s, rendered):
    (monitor,) = k8s.find(rendered["production"], "ServiceMonitor")
    service = k8s.one(rendered["production"], "Service", "tandem-web")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
