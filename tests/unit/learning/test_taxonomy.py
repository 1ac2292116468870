"""The default taxonomy: about 150 unique skills in the promised categories, every relation
between known skills with a weight in (0, 1], no pair twice, and it parses as matching input."""

from __future__ import annotations

from matching import build_skills_graph
from tandem.learning import taxonomy


def test_about_150_unique_skills_in_the_promised_categories():
    skills = taxonomy.all_skills()
    keys = [key for key, *_ in skills]
    assert 140 <= len(skills) <= 160
    assert len(set(keys)) == len(keys)
    assert len({name.lower() for _key, name, *_ in skills}) == len(skills)
    assert {"Engineering", "Data", "Product", "Design", "Sales", "People leadership", "Communication"} <= set(
        taxonomy.SKILLS
    )
    assert all(len(key) <= 80 and len(name) <= 120 for key, name, *_ in skills)


def test_relations_are_valid_and_declared_once():
    keys = {key for key, *_ in taxonomy.all_skills()}
    pairs = [frozenset((a, b)) for a, b, _w in taxonomy.RELATIONS]
    assert all(a in keys and b in keys and a != b for a, b, _w in taxonomy.RELATIONS)
    assert all(0 < w <= 1 for *_ab, w in taxonomy.RELATIONS)
    assert len(set(pairs)) == len(pairs)
    assert keys == {k for pair in pairs for k in pair}  # every skill has at least one relation


def test_five_level_descriptions():
    assert len(taxonomy.DEFAULT_LEVEL_DESCRIPTIONS) == 5
    assert all(
        text.startswith(name)
        for text, name in zip(taxonomy.DEFAULT_LEVEL_DESCRIPTIONS, taxonomy.LEVEL_NAMES, strict=True)
    )


def test_the_taxonomy_is_valid_matching_input_and_symmetric():
    relations: dict[str, dict[str, dict[str, float]]] = {
        k: {"related": {}} for k, *_ in taxonomy.all_skills()
    }
    for a, b, w in taxonomy.RELATIONS:
        relations[a]["related"][b] = w
        relations[b]["related"][a] = w
    graph = build_skills_graph(relations)
    assert graph.number_of_nodes() == len(relations)
    assert graph.number_of_edges() == len(taxonomy.RELATIONS)
