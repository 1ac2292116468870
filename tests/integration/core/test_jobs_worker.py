"""Jobs end to end: enqueued on the real Redis, run by a real `tandem worker` process."""

from __future__ import annotations

import io
import uuid

import pytest
from redis import Redis

from tandem.core import jobs, tenancy, unit_of_work

pytestmark = [pytest.mark.committed, pytest.mark.redis]


def people_csv(count):
    lines = ["email,name,title,team,manager_email,role", "boss@big.test,Boss,CEO,Exec,,employee"]
    for i in range(count - 1):
        lines.append(f"p{i}@big.test,Person {i},Engineer,Team {i % 7},boss@big.test,employee")
    return "\n".join(lines).encode()


def test_a_background_import_runs_on_a_real_worker(redis_app, make_org, run_worker):
    org, other = make_org("jobs"), make_org("other")
    client = redis_app.test_client()
    auth = {"Authorization": f"Bearer {org.admin.token}"}
    accepted = client.post(
        "/api/v1/people/import",
        headers=auth,
        data={
            "file": (io.BytesIO(people_csv(500)), "big.csv"),
            "background": "true",
            "allow_multiple_roots": "true",
        },
    )
    assert accepted.status_code == 202 and accepted.json["status"] == "queued"
    job_id = accepted.json["id"]
    assert client.get("/api/v1/people", headers=auth).json["total"] == 1  # nothing yet: not inline

    worker = run_worker("imports")
    assert worker.returncode == 0, worker.stderr

    job = client.get(f"/api/v1/jobs/{job_id}", headers=auth).json
    assert job["status"] == "done" and job["progress"] == 100 and job["attempts"] == 1
    assert job["result"]["applied"] is True and job["result"]["summary"]["create"] == 500
    assert client.get("/api/v1/people", headers=auth).json["total"] == 501
    # Another organisation cannot even see that the job exists.
    other_auth = {"Authorization": f"Bearer {other.admin.token}"}
    assert client.get(f"/api/v1/jobs/{job_id}", headers=other_auth).status_code == 404
    employee = org.person("Nosy")
    assert (
        client.get(
            f"/api/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {employee.token}"}
        ).status_code
        == 404
    )


def test_a_failing_job_reports_its_reason_and_is_retried(redis_app, make_org, run_worker, redis_url):
    org = make_org("fails")
    with redis_app.app_context(), tenancy.tenant_scope(org.tenant_id):
        run = jobs.submit(
            "people.import",
            "tandem.people.jobs.run_import",
            queue="imports",
            params={"batch_id": str(uuid.uuid4())},
            created_by_id=org.admin.id,
        )
        run_id = run.id
        unit_of_work.commit()  # hands the job to Redis

    worker = run_worker("imports")
    assert worker.returncode == 0, worker.stderr

    job = (
        redis_app.test_client()
        .get(f"/api/v1/jobs/{run_id}", headers={"Authorization": f"Bearer {org.admin.token}"})
        .json
    )
    assert job["status"] == "queued" and job["attempts"] == 1
    assert job["error"] == "the import file is gone (will retry)"
    retry = jobs.Queue("imports", connection=Redis.from_url(redis_url), serializer=jobs.JSONSerializer)
    assert retry.scheduled_job_registry.get_job_ids() == [f"tandem-{run_id}"]
