"""The compiled dumper gives exactly what marshmallow's own dump gives: for any payload shaped like
the goal tree (values of the expected types and of others marshmallow converts, None, missing
keys; dicts, named tuples and plain objects), and for schemas with features it leaves to
marshmallow (hooks, custom fields and accessors, dump defaults, formats, only/exclude)."""

from __future__ import annotations

import decimal
import uuid
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_dump, pre_dump

from tandem.goals.fastdump import FastDumpSchema, compile_dumper
from tandem.goals.schemas import PersonTreeSchema

_timezones = st.sampled_from([None, UTC, timezone(timedelta(hours=5, minutes=30))])
_numbers = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)


def _values(field: fields.Field, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values a payload may carry for `field`, None always among them."""
    if isinstance(field, fields.Nested):
        one = _objects(field.schema, depth + 1)
        return st.none() | (st.lists(one, max_size=3) if field.many else one)
    if isinstance(field, fields.List):
        return st.none() | st.lists(_values(field.inner, depth), max_size=3)
    if isinstance(field, fields.UUID):
        base = st.uuids() | st.uuids().map(str)
    elif isinstance(field, fields.DateTime):
        base = st.datetimes(timezones=_timezones)
    elif isinstance(field, fields.Date):
        base = st.dates()
    elif isinstance(field, fields.Integer):
        base = st.integers() | st.booleans()
    elif isinstance(field, fields.Float):
        base = _numbers | st.decimals(allow_nan=False, allow_infinity=False, places=2)
    elif isinstance(field, fields.Boolean):
        base = st.booleans() | st.integers(0, 2)
    elif isinstance(field, fields.String):
        base = st.text(max_size=8) | st.integers()
    else:
        base = st.text(max_size=8)
    return st.none() | base


def _objects(schema: Schema, depth: int = 0) -> st.SearchStrategy[Any]:
    """Something `schema` dumps: a dict (keys may be missing, extra keys ignored), a named tuple
    (as psycopg rows and progress points are) or a plain object."""
    names = list(schema.dump_fields)
    values = st.fixed_dictionaries({name: _values(schema.dump_fields[name], depth) for name in names})
    point = namedtuple("Point", names)  # type: ignore[misc]
    return st.one_of(
        st.fixed_dictionaries(
            {}, optional={name: _values(schema.dump_fields[name], depth) for name in names}
        ).map(lambda d: {**d, "unrelated": 1}),
        values.map(lambda d: point(**d)),
        values.map(lambda d: SimpleNamespace(**d)),
    )


def _outcome(dump: Any, payload: Any) -> Any:
    """The dump, or the kind of error it raised (a dict without an "items" key hands marshmallow
    the dict's own `items` method, which it cannot iterate: both must fail alike)."""
    try:
        return dump(payload)
    except Exception as error:
        return type(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=_objects(PersonTreeSchema()))
def test_the_tree_dumps_as_marshmallow_dumps_it(payload):
    schema = PersonTreeSchema()
    assert _outcome(schema.dump, payload) == _outcome(lambda p: Schema.dump(schema, p), payload)


class Weird(Schema):
    """Every feature the compiled dumper hands back to marshmallow, plus renamed fields."""

    renamed = fields.String(data_key="shownAs")
    sourced = fields.Integer(attribute="elsewhere")
    dotted = fields.String(attribute="inner.name")
    method = fields.Method("shout")
    function = fields.Function(lambda obj: "fn")
    defaulted = fields.String(dump_default="default")
    formatted = fields.DateTime(format="%Y-%m-%d %H")
    stamp = fields.DateTime(format="timestamp")
    as_string = fields.Float(as_string=True)
    money = fields.Decimal()
    mapping = fields.Dict(keys=fields.String(), values=fields.List(fields.UUID()))
    plucked = fields.Pluck("FastDumpChild", "label", many=True)
    partial = fields.Nested("FastDumpChild", only=("label",))
    children = fields.List(fields.Nested("FastDumpChild", exclude=("label",)))
    loaded = fields.String(load_only=True)
    raw = fields.Raw()

    def shout(self, obj: Any) -> str:
        return "method"


class FastDumpChild(Schema):
    label = fields.String()
    when = fields.Date()


class Hooked(Schema):
    name = fields.String()

    @pre_dump
    def upper(self, data: Any, **kwargs: Any) -> Any:
        return {"name": data["name"].upper()}

    @post_dump
    def mark(self, data: Any, **kwargs: Any) -> Any:
        return {**data, "hooked": True}


class Accessor(Schema):
    name = fields.String()

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        return f"via {attr}"


def _weird() -> dict[str, Any]:
    child = {"label": "a", "when": date(2026, 1, 2)}
    return {
        "renamed": "r",
        "elsewhere": 7.9,
        "inner": {"name": "deep"},
        "formatted": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        "stamp": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        "as_string": 1,
        "money": decimal.Decimal("1.10"),
        "mapping": {"k": [uuid.UUID(int=1)]},
        "plucked": [child, child],
        "partial": child,
        "children": [child, None],
        "loaded": "never shown",
        "raw": {"x": [1]},
    }


def test_what_it_does_not_know_is_left_to_marshmallow():
    for schema, payload in ((Weird(), _weird()), (Hooked(), {"name": "x"}), (Accessor(), {"name": "x"})):
        assert compile_dumper(schema)(payload) == Schema.dump(schema, payload)
        assert compile_dumper(schema, many=True)([payload]) == Schema.dump(schema, [payload], many=True)


def test_many_and_none_as_marshmallow():
    class Tree(FastDumpSchema):
        name = fields.String()

    assert Tree(many=True).dump([{"name": "a"}]) == [{"name": "a"}]
    assert Tree().dump([{"name": "a"}], many=True) == [{"name": "a"}]
    assert Tree().dump(None) == Schema.dump(Tree(), None)
    assert Tree(many=True).dump(None) == Schema.dump(Tree(many=True), None)
