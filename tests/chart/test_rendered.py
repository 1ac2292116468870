"""Assertions on the objects the chart renders: pods, probes, hooks, workers, CronJobs, config and secrets."""

from __future__ import annotations

import base64

import pytest

SECRET_VALUES = {
    "secretKey": "s3cr3t-key-0123456789-abcdefghijklmnop",
    "databaseUrl": "postgresql+psycopg://tandem_app:db-pass-ZZ9@db.internal:5432/tandem",
    "redisUrl": "rediss://:redis-pass-QQ7@redis.internal:6380/0",
    "migrationDatabaseUrl": "postgresql+psycopg://tandem_owner:owner-pass-XX3@db.internal:5432/tandem",
    "smtpPassword": "smtp-pass-YY5",
    "sentryDsn": "https://sentry-key-WW1@sentry.example.com/42",
}
CHART_SECRET_SETS = ["secret.existingSecret="] + [f"secret.{k}={v}" for k, v in SECRET_VALUES.items()]


@pytest.fixture(scope="module")
def chart_secret_docs(helm):
    """Rendered with a chart-managed Secret holding every secret value."""
    return helm.render(sets=CHART_SECRET_SETS + ["config.smtp.host=smtp.example.com"])


# --- every pod and container -------------------------------------------------------------------

def test_every_container_has_resources(k8s, rendered, values_name):
    for workload in k8s.workloads(rendered[values_name]):
        for container in k8s.containers(workload):
            where = f"{workload['kind']}/{workload['metadata']['name']}:{container['name']}"
            resources = container.get("resources") or {}
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), where
            assert "memory" in resources.get("limits", {}), where


def test_every_pod_and_container_is_locked_down(k8s, rendered, values_name):
    for workload in k8s.workloads(rendered[values_name]):
        spec = k8s.pod_spec(workload)
        pod_sc = spec.get("securityContext") or {}
        assert spec["automountServiceAccountToken"] is False
        for container in k8s.containers(workload):
            where = f"{workload['kind']}/{workload['metadata']['name']}:{container['name']}"
            sc = container.get("securityContext") or {}
            assert sc.get("allowPrivilegeEscalation") is False, where
            assert sc.get("readOnlyRootFilesystem") is True, where
            assert sc.get("capabilities", {}).get("drop") == ["ALL"], where
            assert sc.get("privileged", False) is False, where
            assert (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")) is True, where
            assert (sc.get("runAsUser") or pod_sc.get("runAsUser") or 0) > 0, where
            seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
            assert seccomp.get("type") == "RuntimeDefault", where


def test_every_container_has_a_writable_tmp(k8s, rendered, values_name):
    """readOnlyRootFilesystem needs an emptyDir for /tmp everywhere."""
    for workload in k8s.workloads(rendered[values_name]):
        volumes = {v["name"]: v for v in k8s.pod_spec(workload).get("volumes", [])}
        for container in k8s.containers(workload):
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, container["name"]
            assert "emptyDir" in volumes[mounts["/tmp"]]


def test_deployment_containers_have_probes(k8s, rendered, values_name):
    for deployment in k8s.find(rendered[values_name], "Deployment"):
        for container in k8s.containers(deployment):
            assert container.get("livenessProbe"), deployment["metadata"]["name"]
            assert container.get("startupProbe"), deployment["metadata"]["name"]


def test_web_probes_and_server(k8s, rendered, values_name):
    web = k8s.one(rendered[values_name], "Deployment", "tandem-web")
    (container,) = k8s.containers(web)
    assert container["command"] == ["gunicorn", "-c", "/app/gunicorn.conf.py", "tandem.wsgi:app"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert {"name": "http", "containerPort": 8000, "protocol": "TCP"} in container["ports"]
    env = {e["name"]: e for e in container["env"]}
    assert env["GUNICORN_BIND"]["value"] == "0.0.0.0:8000"
    # The multiprocess directory is a mounted emptyDir, not the read-only root filesystem.
    multiproc = env["PROMETHEUS_MULTIPROC_DIR"]["value"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in k8s.pod_spec(web)["volumes"]}
    assert "emptyDir" in volumes[mounts[multiproc]]
    grace = k8s.pod_spec(web)["terminationGracePeriodSeconds"]
    assert grace > int(env["GUNICORN_GRACEFUL_TIMEOUT"]["value"]) + 5


def test_worker_probe_is_the_rq_heartbeat_check(k8s, rendered):
    worker = k8s.one(rendered["default"], "Deployment", "tandem-worker-default")
    (container,) = k8s.containers(worker)
    script = container["livenessProbe"]["exec"]["command"][-1]
    assert "Worker.all" in script and "gethostname" in script


def test_service_selects_the_web_pods(k8s, rendered, values_name):
    docs = rendered[values_name]
    service = k8s.one(docs, "Service", "tandem-web")
    web = k8s.one(docs, "Deployment", "tandem-web")
    pod_labels = k8s.pod_template(web)["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_selectors_do_not_overlap_between_components(k8s, rendered, values_name):
    """A PDB or Service selecting web pods must not also select worker pods, and vice versa."""
    docs = rendered[values_name]
    deployments = k8s.find(docs, "Deployment")
    for pdb in k8s.find(docs, "PodDisruptionBudget"):
        selector = pdb["spec"]["selector"]["matchLabels"]
        matched = [d["metadata"]["name"] for d in deployments
                   if selector.items() <= k8s.pod_template(d)["metadata"]["labels"].items()]
        assert matched == [pdb["metadata"]["name"]], (pdb["metadata"]["name"], matched)


def test_service_accounts_mount_no_token(k8s, rendered, values_name):
    for account in k8s.find(rendered[values_name], "ServiceAccount"):
        assert account["automountServiceAccountToken"] is False


# --- migration hook ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["existing-secret", "chart-secret"])
def test_migration_job_is_a_pre_install_pre_upgrade_hook(k8s, rendered, chart_secret_docs, source):
    docs = rendered["default"] if source == "existing-secret" else chart_secret_docs
    job = k8s.one(docs, "Job", "tandem-migrate")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    policy = set(annotations["helm.sh/hook-delete-policy"].split(","))
    assert policy == {"before-hook-creation", "hook-succeeded"}
    (container,) = k8s.containers(job)
    assert container["command"] == ["tandem", "db", "upgrade"]
    assert k8s.pod_spec(job)["restartPolicy"] == "Never"


@pytest.mark.parametrize("source", ["existing-secret", "chart-secret"])
def test_migration_job_needs_nothing_the_release_creates_later(k8s, rendered, chart_secret_docs, source):
    """At pre-install time only hooks of a lower weight (or pre-existing objects) exist."""
    docs = rendered["default"] if source == "existing-secret" else chart_secret_docs
    job = k8s.one(docs, "Job", "tandem-migrate")
    _, job_weight = k8s.hook_of(job)
    ordinary = {(d["kind"], d["metadata"]["name"]) for d in docs if k8s.hook_of(d) is None}
    earlier_hooks = set()
    for doc in docs:
        hook = k8s.hook_of(doc)
        if hook and "pre-install" in hook[0] and hook[1] < job_weight:
            earlier_hooks.add((doc["kind"], doc["metadata"]["name"]))
    spec = k8s.pod_spec(job)
    (container,) = k8s.containers(job)
    needed = {("ServiceAccount", spec["serviceAccountName"])}
    for env in container.get("env", []):
        ref = (env.get("valueFrom") or {})
        if "secretKeyRef" in ref:
            needed.add(("Secret", ref["secretKeyRef"]["name"]))
        if "configMapKeyRef" in ref:
            needed.add(("ConfigMap", ref["configMapKeyRef"]["name"]))
    for source_ref in container.get("envFrom", []):
        for kind, key in (("Secret", "secretRef"), ("ConfigMap", "configMapRef")):
            if key in source_ref:
                needed.add((kind, source_ref[key]["name"]))
    assert not needed & ordinary, f"the hook would wait for release objects: {needed & ordinary}"
    if source == "chart-secret":
        assert ("Secret", "tandem-migrate") in earlier_hooks
        assert ("ServiceAccount", "tandem-migrate") in earlier_hooks
        assert needed <= earlier_hooks
    else:
        assert ("Secret", "tandem-secrets") in needed  # the operator's Secret, created beforehand


def test_migration_gets_the_same_configuration_as_the_app(k8s, chart_secret_docs):
    config = k8s.one(chart_secret_docs, "ConfigMap", "tandem-config")["data"]
    (container,) = k8s.containers(k8s.one(chart_secret_docs, "Job", "tandem-migrate"))
    inline = {e["name"]: e["value"] for e in container["env"] if "value" in e}
    assert inline == config
    hook_secret = k8s.one(chart_secret_docs, "Secret", "tandem-migrate")
    app_secret = k8s.one(chart_secret_docs, "Secret", "tandem-secret")
    assert hook_secret["data"] == app_secret["data"]


def test_migration_uses_the_owner_url_and_the_app_does_not(k8s, chart_secret_docs):
    def db_key(container):
        (env,) = [e for e in container["env"] if e["name"] == "DATABASE_URL"]
        return env["valueFrom"]["secretKeyRef"]["key"]

    (migrate,) = k8s.containers(k8s.one(chart_secret_docs, "Job", "tandem-migrate"))
    assert db_key(migrate) == "MIGRATION_DATABASE_URL"
    for workload in k8s.workloads(chart_secret_docs):
        if workload["kind"] == "Job":
            continue
        for container in k8s.containers(workload):
            assert db_key(container) == "DATABASE_URL"
            names = {e["name"] for e in container["env"]}
            assert "MIGRATION_DATABASE_URL" not in names
            assert not any("secretRef" in source for source in container.get("envFrom", []))


def test_migrations_can_be_disabled(k8s, helm):
    docs = helm.render(sets=["migrations.enabled=false"])
    assert not [d for d in docs if k8s.hook_of(d)]


# --- workers -------------------------------------------------------------------------------------

def test_one_deployment_per_worker_group(k8s, rendered):
    docs = rendered["worker-groups"]
    expected = {"mail": ["mail"], "imports": ["imports"], "reports": ["reports"],
                "default": ["default", "mail"]}
    workers = {d["metadata"]["name"]: d for d in k8s.find(docs, "Deployment")
               if "-worker-" in d["metadata"]["name"]}
    assert set(workers) == {f"tandem-worker-{name}" for name in expected}
    for name, queues in expected.items():
        (container,) = k8s.containers(workers[f"tandem-worker-{name}"])
        assert container["command"] == ["tandem", "worker", *queues]


def test_worker_group_settings_override_defaults(k8s, rendered):
    docs = rendered["worker-groups"]
    mail = k8s.one(docs, "Deployment", "tandem-worker-mail")
    assert mail["spec"]["replicas"] == 2
    assert k8s.containers(mail)[0]["resources"]["limits"]["memory"] == "512Mi"
    imports = k8s.one(docs, "Deployment", "tandem-worker-imports")
    assert k8s.pod_spec(imports)["terminationGracePeriodSeconds"] == 600
    assert not k8s.find(docs, "PodDisruptionBudget", "tandem-worker-imports")
    reports = k8s.one(docs, "Deployment", "tandem-worker-reports")
    assert "replicas" not in reports["spec"], "an autoscaled Deployment must leave replicas to the HPA"
    assert k8s.pod_spec(reports)["nodeSelector"] == {"workload": "batch"}
    hpa = k8s.one(docs, "HorizontalPodAutoscaler", "tandem-worker-reports")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                             "name": "tandem-worker-reports"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (1, 8)
    # Groups without autoscaling get no HPA.
    assert not k8s.find(docs, "HorizontalPodAutoscaler", "tandem-worker-mail")


def test_zero_replicas_and_disabled_autoscaling_are_honoured(k8s, helm):
    """false and 0 in a group must win over the defaults (sprig's merge would drop them)."""
    docs = helm.render(
        sets=["workerDefaults.autoscaling.enabled=true"],
        set_json=['workers=[{"name":"all","queues":["default","reports","imports","mail"],"replicas":0,'
                  '"autoscaling":{"enabled":false}}]'],
    )
    worker = k8s.one(docs, "Deployment", "tandem-worker-all")
    assert worker["spec"]["replicas"] == 0
    assert not k8s.find(docs, "HorizontalPodAutoscaler")


def test_web_autoscaling(k8s, rendered):
    docs = rendered["production"]
    web = k8s.one(docs, "Deployment", "tandem-web")
    assert "replicas" not in web["spec"]
    hpa = k8s.one(docs, "HorizontalPodAutoscaler", "tandem-web")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "tandem-web"
    assert hpa["spec"]["minReplicas"] == 3
    assert not k8s.find(rendered["default"], "HorizontalPodAutoscaler")
    assert k8s.one(rendered["default"], "Deployment", "tandem-web")["spec"]["replicas"] == 2


# --- CronJobs ------------------------------------------------------------------------------------

def test_cronjobs_for_dashboards_and_reminders(k8s, rendered):
    docs = rendered["default"]
    dashboards = k8s.one(docs, "CronJob", "tandem-dashboards")
    reminders = k8s.one(docs, "CronJob", "tandem-reminders")
    assert k8s.containers(dashboards)[0]["command"] == ["tandem", "reports", "build-all"]
    assert k8s.containers(reminders)[0]["command"] == ["tandem", "feedback", "send-reminders"]
    assert dashboards["spec"]["schedule"] == "0 2 * * *"
    assert reminders["spec"]["schedule"] == "0 * * * *"
    for cron in (dashboards, reminders):
        assert cron["spec"]["concurrencyPolicy"] == "Forbid"
        assert k8s.pod_spec(cron)["restartPolicy"] == "Never"
        assert "timeZone" not in cron["spec"]


def test_cronjob_schedules_are_configurable(k8s, helm, rendered):
    docs = helm.render(sets=["cronJobs.reminders.schedule=*/30 * * * *", "cronJobs.dashboards.enabled=false",
                             "cronJobDefaults.timeZone=Europe/Paris"])
    reminders = k8s.one(docs, "CronJob", "tandem-reminders")
    assert reminders["spec"]["schedule"] == "*/30 * * * *"
    assert reminders["spec"]["timeZone"] == "Europe/Paris"
    assert not k8s.find(docs, "CronJob", "tandem-dashboards")
    production = k8s.one(rendered["production"], "CronJob", "tandem-dashboards")
    assert production["spec"]["timeZone"] == "Europe/Paris"


# --- configuration and secrets -----------------------------------------------------------------

def test_no_secret_value_outside_secrets(k8s, chart_secret_docs):
    secret = k8s.one(chart_secret_docs, "Secret", "tandem-secret")
    decoded = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert set(decoded.values()) == set(SECRET_VALUES.values())
    for doc in chart_secret_docs:
        if doc["kind"] == "Secret":
            continue
        text = repr(doc)
        for value in SECRET_VALUES.values():
            assert value not in text, f"{doc['kind']}/{doc['metadata']['name']} contains a secret value"
    config = k8s.one(chart_secret_docs, "ConfigMap", "tandem-config")["data"]
    assert config["TANDEM_ENV"] == "production"
    assert not {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SMTP_PASSWORD", "SENTRY_DSN"} & set(config)
    assert config["SMTP_HOST"] == "smtp.example.com"


def test_existing_secret_is_used_when_set(k8s, rendered):
    docs = rendered["production"]
    assert not k8s.find(docs, "Secret"), "no Secret may be rendered when existingSecret is set"
    refs = set()
    for workload in k8s.workloads(docs):
        for container in k8s.containers(workload):
            for env in container.get("env", []):
                if "secretKeyRef" in (env.get("valueFrom") or {}):
                    refs.add(env["valueFrom"]["secretKeyRef"]["name"])
    assert refs == {"tandem-secrets"}


def test_chart_secret_is_used_when_no_existing_secret(k8s, chart_secret_docs):
    refs = {}
    for workload in k8s.workloads(chart_secret_docs):
        for container in k8s.containers(workload):
            for env in container.get("env", []):
                if "secretKeyRef" in (env.get("valueFrom") or {}):
                    refs.setdefault(workload["kind"], set()).add(env["valueFrom"]["secretKeyRef"]["name"])
    assert refs == {"Deployment": {"tandem-secret"}, "CronJob": {"tandem-secret"}, "Job": {"tandem-migrate"}}


def test_checksum_annotations_on_every_pod_template(k8s, rendered, values_name):
    for workload in k8s.workloads(rendered[values_name]):
        if k8s.hook_of(workload):
            continue  # the hook Job is recreated on every run anyway
        annotations = k8s.pod_template(workload)["metadata"]["annotations"]
        assert {"checksum/config", "checksum/secret"} <= set(annotations), workload["metadata"]["name"]


def _checksums(k8s, docs):
    web = k8s.one(docs, "Deployment", "tandem-web")
    annotations = k8s.pod_template(web)["metadata"]["annotations"]
    return annotations["checksum/config"], annotations["checksum/secret"]


def test_checksums_follow_configuration_changes(k8s, helm, chart_secret_docs):
    base = CHART_SECRET_SETS + ["config.smtp.host=smtp.example.com"]
    config, secret = _checksums(k8s, chart_secret_docs)
    config_after, secret_after = _checksums(k8s, helm.render(sets=base + ["config.logLevel=DEBUG"]))
    assert config_after != config and secret_after == secret
    config_after, secret_after = _checksums(k8s, helm.render(sets=base + ["secret.smtpPassword=rotated"]))
    assert config_after == config and secret_after != secret
    # With an existing Secret only its name is known: renaming it still rolls the pods.
    _, existing = _checksums(k8s, helm.render())
    _, renamed = _checksums(k8s, helm.render(sets=["secret.existingSecret=tandem-secrets-v2"]))
    assert renamed != existing


def test_base_url_derived_from_ingress(k8s, helm, rendered):
    assert k8s.one(rendered["production"], "ConfigMap", "tandem-config")["data"]["TANDEM_BASE_URL"] == (
        "https://tandem.example.com")
    docs = helm.render(sets=["ingress.enabled=true", "ingress.hosts[0].host=people.example.org",
                             "ingress.hosts[0].paths[0].path=/", "ingress.hosts[0].paths[0].pathType=Prefix"])
    assert k8s.one(docs, "ConfigMap", "tandem-config")["data"]["TANDEM_BASE_URL"] == "http://people.example.org"
    assert "TANDEM_BASE_URL" not in k8s.one(rendered["default"], "ConfigMap", "tandem-config")["data"]


# --- ingress, network policy ------------------------------------------------------------------------

def test_ingress_with_tls_routes_to_the_web_service(k8s, rendered):
    docs = rendered["production"]
    ingress = k8s.one(docs, "Ingress", "tandem")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [{"secretName": "tandem-tls", "hosts": ["tandem.example.com"]}]
    service = k8s.one(docs, "Service", "tandem-web")
    (rule,) = ingress["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
    assert not k8s.find(rendered["default"], "Ingress")


def test_network_policies(k8s, rendered):
    docs = rendered["production"]
    web_policy = k8s.one(docs, "NetworkPolicy", "tandem-web")
    peers = web_policy["spec"]["ingress"][0]["from"]
    assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}} in peers
    closed = k8s.one(docs, "NetworkPolicy", "tandem-no-ingress")
    assert closed["spec"]["policyTypes"] == ["Ingress"] and "ingress" not in closed["spec"]
    assert not k8s.find(rendered["default"], "NetworkPolicy")
