"""The skills catalogue: the default taxonomy on first use, HR admins renaming, retiring, relating
and merging skills without breaking history, every write audited; the graph for matching; the
curated learning catalogue; and the gap report's statement count not growing with its size."""

from __future__ import annotations

import networkx as nx
import sqlalchemy as sa

from tandem.core.audit import AuditEvent
from tandem.core.db import db
from tandem.learning import services


def _audit_actions(org):
    with org.scope():
        return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.at))]


def test_a_new_organisation_gets_the_default_taxonomy_once(org, api):
    client = api(org.admin)
    first = client.get("/api/v1/skills").json
    assert 140 <= first["total"] <= 160
    assert client.get("/api/v1/skills").json["total"] == first["total"]
    categories = {c["name"] for c in client.get("/api/v1/skills/categories").json}
    assert {
        "Engineering",
        "Data",
        "Product",
        "Design",
        "Sales",
        "People leadership",
        "Communication",
    } <= categories


def test_rename_retire_and_merge_keep_history(org, api, world, skill_ids):
    admin, owner = api(org.admin), api(world["owner"])
    k8s, docker = skill_ids["kubernetes"], skill_ids["docker"]
    person = world["owner"].id
    owner.put(f"/api/v1/people/{person}/skills/{k8s}", json={"self_level": 2, "interested": True})
    owner.put(f"/api/v1/people/{person}/skills/{docker}", json={"self_level": 4})
    with org.scope():
        services.record_evidence(
            person, docker, "feedback", 4.5, "360: strong on containers", services.utcnow()
        )
    renamed = admin.patch(f"/api/v1/skills/{docker}", json={"name": "Containers and images"})
    assert renamed.status_code == 200 and renamed.json["name"] == "Containers and images"
    merged = admin.post(f"/api/v1/skills/{docker}/merge", json={"into_skill_id": k8s})
    assert merged.status_code == 200 and merged.json["id"] == k8s
    old = admin.get(f"/api/v1/skills/{docker}").json
    assert old["status"] == "merged" and old["merged_into_id"] == k8s
    lines = owner.get(f"/api/v1/people/{person}/skills").json["items"]
    assert [(line["skill_id"], line["self_level"], line["interested"]) for line in lines] == [(k8s, 4, True)]
    assert lines[0]["evidence_count"] == 1
    evidence = owner.get(f"/api/v1/people/{person}/skill-evidence", query_string={"skill_id": k8s}).json
    assert evidence["items"][0]["skill_id"] == docker and evidence["items"][0]["value"] == 4.5
    assert admin.post(f"/api/v1/skills/{docker}/merge", json={"into_skill_id": k8s}).status_code == 409
    retired = admin.patch(f"/api/v1/skills/{k8s}", json={"status": "retired"})
    assert retired.status_code == 200 and retired.json["retired_at"]
    assert k8s not in {
        s["id"] for s in admin.get("/api/v1/skills", query_string={"per_page": 200}).json["items"]
    }
    assert admin.get("/api/v1/skills", query_string={"status": "retired"}).json["total"] == 1
    assert _audit_actions(org)[-3:] == ["skill.update", "skill.merge", "skill.retire"]


def test_related_skills_are_symmetric_and_feed_the_matching_graph(org, api, skill_ids):
    admin = api(org.admin)
    python, go = skill_ids["python"], skill_ids["go"]
    response = admin.put(
        f"/api/v1/skills/{python}/related", json={"related": [{"skill_id": go, "weight": 0.7}]}
    )
    assert response.status_code == 200 and response.json["related"] == [
        {"skill_id": go, "name": "Go", "weight": 0.7}
    ]
    assert {"skill_id": python, "name": "Python", "weight": 0.7} in admin.get(f"/api/v1/skills/{go}").json[
        "related"
    ]
    graph = admin.get("/api/v1/skills/graph").json["skills"]
    assert graph[python]["related"] == {go: 0.7} and graph[go]["related"][python] == 0.7
    with org.scope():
        assert services.skills_for_matching()["skills"] == graph
        built = services.skills_graph()
    assert isinstance(built, nx.Graph) and built[python][go]["weight"] == 0.7
    assert "skill.relate" in _audit_actions(org)


def test_catalogue_items_are_curated_filtered_and_audited(org, api, world, skill_ids):
    admin = api(org.admin)
    sql = skill_ids["sql"]
    made = admin.post(
        "/api/v1/learning/catalogue",
        json={
            "title": "AWS SA",
            "kind": "certification",
            "validity_months": 36,
            "skills": [{"skill_id": sql, "level": 4}],
        },
    ).json
    admin.post("/api/v1/learning/catalogue", json={"title": "Clean Code", "kind": "book"})
    reader = api(world["owner"])
    assert reader.get("/api/v1/learning/catalogue", query_string={"skill_id": sql}).json["total"] == 1
    assert (
        reader.get("/api/v1/learning/catalogue", query_string={"kind": "book"}).json["items"][0]["title"]
        == "Clean Code"
    )
    assert (
        admin.patch(f"/api/v1/learning/catalogue/{made['id']}", json={"is_active": False}).status_code == 200
    )
    assert reader.get("/api/v1/learning/catalogue").json["total"] == 1
    assert {"catalogue_item.create", "catalogue_item.update"} <= set(_audit_actions(org))
    # A certification from the catalogue gets its expiry from the validity on completion.
    admin.patch(f"/api/v1/learning/catalogue/{made['id']}", json={"is_active": True})
    plan = reader.post("/api/v1/learning/plans", json={"title": "Certs"}).json
    item = reader.post(
        f"/api/v1/learning/plans/{plan['id']}/items",
        json={"catalogue_item_id": made["id"], "status": "completed", "completed_on": "2025-01-31"},
    ).json
    assert item["expires_on"] == "2028-01-31" and item["skill_ids"] == [sql]
    evidence = reader.get(f"/api/v1/people/{world['owner'].id}/skill-evidence").json["items"]
    assert evidence[0]["source"] == "certification"


def test_gap_report_statement_count_does_not_grow_with_gaps(org, api, world, skill_ids, count_queries):
    admin, owner = api(org.admin), api(world["owner"])
    keys = sorted(skill_ids)

    def report_statements(n):
        admin.post(
            "/api/v1/role-profiles",
            json={
                "name": f"Role {n}",
                "job_title": "Engineer" if n == 3 else None,
                "requirements": [{"skill_id": skill_ids[k], "level": 4} for k in keys[:n]],
            },
        )
        for k in keys[:n]:
            api(world["peer"]).put(
                f"/api/v1/people/{world['peer'].id}/skills/{skill_ids[k]}",
                json={"self_level": 5, "willing_to_mentor": True},
            )
        with count_queries() as statements:
            body = owner.get(f"/api/v1/people/{world['owner'].id}/skill-gaps").json
        return len(statements), body

    small, body = report_statements(3)
    assert body["total"] == 3 and all(g["mentors"] for g in body["items"])
    role = admin.get("/api/v1/role-profiles", query_string={"q": "Role 3"}).json["items"][0]["id"]
    admin.patch(
        f"/api/v1/role-profiles/{role}",
        json={"requirements": [{"skill_id": skill_ids[k], "level": 4} for k in keys[:30]]},
    )
    for k in keys[:30]:
        api(world["peer"]).put(
            f"/api/v1/people/{world['peer'].id}/skills/{skill_ids[k]}",
            json={"self_level": 5, "willing_to_mentor": True},
        )
    with count_queries() as statements:
        big = owner.get(f"/api/v1/people/{world['owner'].id}/skill-gaps").json
    assert big["total"] == 30
    # Ten times the gaps, the same statements (a token's last-use stamp may be skipped once).
    assert len(statements) <= small
