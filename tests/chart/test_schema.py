"""values.schema.json and the template checks refuse bad values with a message that names the problem."""

from __future__ import annotations

import json

import pytest

GOOD_CHART_SECRET = [
    "secret.existingSecret=",
    "secret.secretKey=0123456789abcdef0123456789abcdef",
    "secret.databaseUrl=postgresql+psycopg://app:pw@db:5432/tandem",
    "secret.redisUrl=redis://redis:6379/0",
]
ALL_QUEUES = '["default","reports","imports","mail"]'

# (case id, values file text or None, --set items, --set-json items, fragments the error must contain)
BAD = [
    ("repository-missing", None, ["image.repository=null"], [], ["image: repository is required"]),
    ("repository-empty", None, ["image.repository="], [], ["image.repository", "greater than or equal to 1"]),
    ("tag-not-a-string", "image:\n  tag: 1.2\n", [], [], ["image.tag", "Expected: string"]),
    ("replicas-not-an-integer", None, ["web.replicas=two"], [], ["web.replicas", "Expected: integer"]),
    ("secret-key-missing-without-existing-secret", None,
     GOOD_CHART_SECRET[:1] + GOOD_CHART_SECRET[2:], [], ["secret.secretKey", "then"]),
    ("secret-key-too-short", None, GOOD_CHART_SECRET + ["secret.secretKey=changeme"], [],
     ["secret.secretKey", "greater than or equal to 32"]),
    ("database-url-missing", None, [s for s in GOOD_CHART_SECRET if "databaseUrl" not in s], [],
     ["secret.databaseUrl"]),
    ("database-url-not-postgres", None, GOOD_CHART_SECRET + ["secret.databaseUrl=mysql://x/y"], [],
     ["secret.databaseUrl", "pattern"]),
    ("typo-at-top-level", "imagee:\n  repository: x\n", [], [],
     ["Additional property imagee is not allowed"]),
    ("typo-in-worker-group", None, [], [f'workers=[{{"name":"all","queue":{ALL_QUEUES}}}]'],
     ["workers.0", "queues is required", "Additional property queue is not allowed"]),
    ("worker-name-not-dns", None, [], [f'workers=[{{"name":"All_Queues","queues":{ALL_QUEUES}}}]'],
     ["workers.0.name"]),
    ("worker-without-resources-requests", None, ["workerDefaults.resources.requests=null"], [],
     ["workerDefaults.resources", "requests is required"]),
    ("cron-schedule-garbage", None, ["cronJobs.reminders.schedule=hourly"], [],
     ["cronJobs.reminders.schedule"]),
    ("cron-without-command", None, [], ['cronJobs.cleanup={"enabled":true,"schedule":"@daily"}'],
     ["cronJobs.cleanup", "command is required"]),
    ("secret-name-in-configmap", None, ["config.extra.DATABASE_URL=postgresql://x"], [], ["config.extra"]),
    ("log-level-unknown", None, ["config.logLevel=verbose"], [], ["config.logLevel"]),
    ("pdb-both-set", None, ["web.pdb.minAvailable=1"], [], ["web.pdb.maxUnavailable"]),
    ("ingress-tls-without-secret", None, ["ingress.enabled=true"], ['ingress.tls=[{"hosts":["a.example"]}]'],
     ["ingress.tls.0", "secretName is required"]),
    # Template checks (cross-field rules JSON Schema cannot express):
    ("queue-served-by-nobody", None, [], ['workers=[{"name":"a","queues":["default","reports","imports"]}]'],
     ['no worker group serves the queue "mail"']),
    ("queue-typo", None, [], [f'workers=[{{"name":"a","queues":{ALL_QUEUES[:-1]},"reprts"]}}]'],
     ['serves queue "reprts", which is not in queues']),
    ("duplicate-worker-names", None, [],
     [f'workers=[{{"name":"a","queues":{ALL_QUEUES}}},{{"name":"a","queues":["mail"]}}]'],
     ['the name "a" is used by two groups']),
]


@pytest.mark.parametrize(("values_text", "sets", "set_json", "fragments"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD])
def test_bad_values_are_refused_with_a_clear_message(helm, tmp_path, values_text, sets, set_json, fragments):
    values = []
    if values_text is not None:
        values.append(tmp_path / "values.yaml")
        values[0].write_text(values_text)
    result = helm.template(values=values, sets=sets, set_json=set_json)
    assert result.returncode != 0, "helm accepted bad values"
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_existing_secret_makes_the_secret_values_optional(helm):
    result = helm.template(sets=["secret.existingSecret=from-vault"])
    assert result.returncode == 0, result.stderr


def test_chart_secret_with_every_required_value_is_accepted(helm):
    """The positive control for the cases above: the same rules accept good values."""
    result = helm.template(sets=GOOD_CHART_SECRET)
    assert result.returncode == 0, result.stderr


def test_schema_is_draft_07_and_closed(k8s):
    """helm 3.10 validates with a draft-07 validator; unknown keys must be refused to catch typos."""
    schema = json.loads((k8s.CHART / "values.schema.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    assert "repository" in schema["properties"]["image"]["required"]
