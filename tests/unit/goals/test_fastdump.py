"""The compiled dumper gives exactly what marshmallow's own dump gives: for any payload shaped like
the goal tree (values of the expected types and of others marshmallow converts, None, missing
keys; dicts, named tuples and plain objects), and for schemas with features it leaves to
marshmallow (hooks, custom fields and accessors, dump defaults, formats, only/exclude). Its JSON
(orjson) holds the values Flask's jsonify writes for that dump, or it declines (Unwritable) and the
caller sends the dump through jsonify."""

from __future__ import annotations

import decimal
import json
import uuid
from collections import namedtuple
from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_dump, pre_dump

from tandem.goals.fastdump import FastDumpSchema, Unwritable, compile_dumper
from tandem.goals.schemas import PersonTreeSchema

# Whole-minute offsets (orjson writes them as isoformat() does), an offset with seconds (it would
# not), and zones whose offset changes with the date (Paris kept local mean time, +00:09:21, to 1911).
_ZONES = [
    None,
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-3, seconds=-7)),
    ZoneInfo("UTC"),
    ZoneInfo("Etc/UTC"),
    ZoneInfo("Europe/Paris"),
]
_timezones = st.sampled_from(_ZONES)
_numbers = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)


def _values(field: fields.Field, depth: int = 0, *, typed: bool = False) -> st.SearchStrategy[Any]:
    """Values a payload may carry for `field`, None always among them; `typed`: only values of the
    type the field is for (what a database gives), else others marshmallow converts too."""
    if isinstance(field, fields.Nested):
        one = _objects(field.schema, depth + 1, typed=typed)
        return st.none() | (st.lists(one, max_size=3) if field.many else one)
    if isinstance(field, fields.List):
        return st.none() | st.lists(_values(field.inner, depth, typed=typed), max_size=3)
    if typed:
        base = _typed(field)
    elif isinstance(field, fields.UUID):
        base = st.uuids() | st.uuids().map(str)
    elif isinstance(field, fields.DateTime):
        base = st.datetimes(timezones=_timezones)
    elif isinstance(field, fields.Date):
        base = st.dates()
    elif isinstance(field, fields.Integer):
        base = st.integers() | st.booleans()
    elif isinstance(field, fields.Float):
        base = _numbers | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.floats()
    elif isinstance(field, fields.Boolean):
        base = st.booleans() | st.integers(0, 2)
    elif isinstance(field, fields.String):
        base = st.text(max_size=8) | st.integers()
    else:
        base = st.text(max_size=8)
    return st.none() | base


def _typed(field: fields.Field) -> st.SearchStrategy[Any]:
    if isinstance(field, fields.UUID):
        return st.uuids()
    if isinstance(field, fields.DateTime):
        return st.datetimes(timezones=_timezones)
    if isinstance(field, fields.Date):
        return st.dates()
    if isinstance(field, fields.Integer):
        return st.integers(-(2**63), 2**63 - 1)
    if isinstance(field, fields.Float):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(field, fields.Boolean):
        return st.booleans()
    return st.text(max_size=8)  # no lone surrogates: a database holds none


def _objects(schema: Schema, depth: int = 0, *, typed: bool = False) -> st.SearchStrategy[Any]:
    """Something `schema` dumps: a dict (keys may be missing, extra keys ignored), a named tuple
    (as progress points are; some with fields missing) or a plain object."""
    names = list(schema.dump_fields)
    each = _fields(schema, depth, typed=typed)
    values = st.fixed_dictionaries(each)
    some = st.fixed_dictionaries({}, optional=each)
    point = namedtuple("Point", names)  # type: ignore[misc]
    return st.one_of(
        values,
        some.map(lambda d: {**d, "unrelated": 1}),
        values.map(lambda d: point(**d)),
        some.map(lambda d: namedtuple("Some", sorted(d))(**d)),  # type: ignore[misc]
        values.map(lambda d: SimpleNamespace(**d)),
    )


def _fields(schema: Schema, depth: int = 0, *, typed: bool = False) -> dict[str, st.SearchStrategy[Any]]:
    return {name: _values(field, depth, typed=typed) for name, field in schema.dump_fields.items()}


def _outcome(dump: Any, payload: Any) -> Any:
    """The dump, or the kind of error it raised (a dict without an "items" key hands marshmallow
    the dict's own `items` method, which it cannot iterate: both must fail alike)."""
    try:
        return dump(payload)
    except Exception as error:
        return type(error)


def _jsonify(data: Any) -> bytes:
    """What Flask's jsonify writes (its provider's settings; a dump holds JSON types only)."""
    return (json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _values_of(text: bytes) -> str:
    """The JSON values of `text`, types and all (1.0 is not 1, true is not 1), however written."""
    return json.dumps(json.loads(text), sort_keys=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=_objects(PersonTreeSchema()))
def test_the_tree_dumps_as_marshmallow_dumps_it(payload):
    schema = PersonTreeSchema()
    assert _outcome(schema.dump, payload) == _outcome(lambda p: Schema.dump(schema, p), payload)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=_objects(PersonTreeSchema()))
def test_the_trees_json_holds_what_jsonify_writes_or_it_declines(payload):
    schema = PersonTreeSchema()
    try:
        written = schema.dump_json(payload)
    except Unwritable:
        return  # the caller sends the dump through jsonify (or fails as that does)
    assert _values_of(written) == _values_of(_jsonify(Schema.dump(schema, payload)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.fixed_dictionaries(_fields(PersonTreeSchema(), typed=True)))
def test_a_tree_as_the_database_gives_it_is_written_by_orjson(payload):
    schema = PersonTreeSchema()
    written = schema.dump_json(payload)  # never declined: UUIDs, dates, times in any zone, text
    assert _values_of(written) == _values_of(_jsonify(Schema.dump(schema, payload)))
    assert written.endswith(b"\n")


class Point(FastDumpSchema):
    at = fields.DateTime()
    value = fields.Float(allow_none=True)
    count = fields.Integer()
    title = fields.String()
    done = fields.Boolean()
    raw = fields.Raw()


@pytest.mark.parametrize(
    "value",
    [
        {"value": float("nan")},  # jsonify writes NaN, orjson null
        {"value": float("inf")},
        {"count": 2**64},  # beyond orjson
        {"title": "\ud800"},  # a lone surrogate: jsonify escapes it, orjson refuses
        {"raw": datetime(2026, 1, 5, tzinfo=UTC)},  # jsonify's own format (an HTTP date)
        {"raw": decimal.Decimal("1.5")},
        {"done": [True]},
    ],
)
def test_what_orjson_would_write_otherwise_is_declined(value):
    point = {"at": None, "value": 1.5, "count": 2, "title": "a", "done": True, "raw": None}
    Point().dump_json(point)
    with pytest.raises(Unwritable):
        Point().dump_json({**point, **value})
    with pytest.raises(Unwritable):
        Point(many=True).dump_json([point, value])


def test_schemas_it_does_not_know_are_declined():
    for schema in (Weird(), Hooked()):
        with pytest.raises(Unwritable):
            type("Fast", (FastDumpSchema, type(schema)), {})().dump_json(_weird())


def test_times_are_written_as_isoformat_whatever_their_zone():
    paris, offset = ZoneInfo("Europe/Paris"), timezone(timedelta(hours=1, seconds=30))
    times = [
        datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=paris),  # +01:00
        datetime(1900, 1, 5, 10, 0, tzinfo=paris),  # +00:09:21 (orjson would write +00:09)
        datetime(2026, 1, 5, 10, 0, tzinfo=offset),
        datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
        datetime(2026, 1, 5, 10, 0),
    ]
    points = [{"at": at, "value": 1.5, "count": 2, "title": "é", "done": True, "raw": None} for at in times]
    for _ in range(2):  # the second time with what the first one learnt about the zones
        written = Point(many=True).dump_json(points)
        assert [point["at"] for point in json.loads(written)] == [at.isoformat() for at in times]
        assert _values_of(written) == _values_of(_jsonify(Schema.dump(Point(many=True), points)))


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
