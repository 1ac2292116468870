"""Dump big read payloads through their marshmallow schema at a fraction of marshmallow's cost, and
write them as JSON with orjson."""

from __future__ import annotations

import keyword
import uuid
from collections import namedtuple
from collections.abc import Callable
from datetime import UTC, date, datetime, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

# A goal tree is thousands of nested items, and marshmallow spends most of its time per field on
# generic machinery (accessor lookups, missing and default checks, method dispatch) rather than on
# converting values. `compile_dumper` resolves that machinery once per schema and converts each
# value exactly as the field's own `_serialize` would; whatever it does not recognise (a custom
# field, hooks, accessors, dump defaults, non-ISO formats) is left to marshmallow itself, so the
# output is always what `Schema.dump` gives. tests/unit/goals/test_fastdump.py holds it to that.
#
# Each schema's dumper is Python source generated once (one dict display per object: no loop over
# fields, no call per value that needs no conversion), for the two shapes a big payload is made of:
# dicts holding every field and named tuples. Anything else takes a loop that follows marshmallow's
# accessor to the letter.

Dumper = Callable[[Any], Any]


class _Unknown(Exception):
    """Only marshmallow knows how this field dumps."""


class Unwritable(TypeError):
    """orjson would not write this payload as Flask's jsonify writes `Schema.dump` of it."""


# A conversion, for the generated code; never applied to None. None: the value as it is. ("call",
# f): f(value). ("keep", cls, f): the value itself when its class is exactly cls (f would return
# it unchanged, or orjson writes it as f would convert it), else f(value). ("finite", f): a finite
# float as it is, else f(value). ("datetime", f): a datetime in one of _WHOLE_MINUTE_ZONES as it
# is, else f(value). ("each", f): a list of f(item), None staying None (f None: a copy).
Conversion = tuple[Any, ...] | None

_TUPLE_FIELD = type(namedtuple("_Probe", "x").x)  # what a named tuple's field is on its class


def _plain(value: Any) -> Any:
    """A value of a field that dumps it unchanged (Boolean, Raw): orjson writes a str, int, bool or
    finite float as the standard library does; anything else goes the standard library's way."""
    if value.__class__ in (str, int, bool) or (value.__class__ is float and value - value == 0.0):
        return value
    raise Unwritable(f"{type(value).__name__} value")


def _finite(convert: Callable[[Any], float]) -> Callable[[Any], float]:
    def number(value: Any) -> float:
        value = convert(value)
        if value - value != 0.0:  # NaN and infinities: the standard library writes NaN, orjson null
            raise Unwritable("not a finite number")
        return value

    return number


# Time zones whose datetimes orjson writes as isoformat() does, whatever the time: none, and fixed
# offsets in whole minutes (orjson rounds an offset's seconds; given no offset, writes +00:00).
_WHOLE_MINUTE_ZONES: set[tzinfo | None] = {None, UTC}


def _iso_datetime(value: Any) -> Any:
    """A datetime as DateTime(format="iso") dumps it, or as it is when orjson writes it that way."""
    if value.__class__ is datetime:
        zone = value.tzinfo
        offset = value.utcoffset()
        if offset is not None and not (offset.seconds % 60 or offset.microseconds):
            if zone.__class__ is timezone or (zone.__class__ is ZoneInfo and zone.key in ("UTC", "Etc/UTC")):
                _WHOLE_MINUTE_ZONES.add(zone)  # a fixed offset: every datetime in it is fine
            return value
    return datetime.isoformat(value)


def _conversion(field: fields.Field, native: bool) -> Conversion:
    """What `field._serialize` does to a value that is not None (every `_serialize` matched here
    returns None for None). `native`: leave values orjson writes exactly as they would be converted
    (UUIDs, ISO dates and times), and refuse what orjson writes differently."""
    kind = type(field)
    impl = kind._serialize
    if impl is fields.Field._serialize:  # Boolean, Raw
        return ("keep", bool, _plain) if native else None
    if impl is fields.String._serialize:
        return ("keep", str, lambda value: field._serialize(value, None, None))
    if impl is fields.UUID._serialize:
        return ("keep", uuid.UUID, str) if native else ("call", str)
    number = impl is fields.Number._serialize and kind._format_num is fields.Number._format_num
    if number and not field.as_string:  # type: ignore[attr-defined]
        num_type = field.num_type  # type: ignore[attr-defined]
        if native and num_type is float:
            return ("finite", _finite(float))
        return ("keep", num_type, num_type)
    if impl is fields.DateTime._serialize:  # every temporal field: Date, DateTime, Time
        fmt = field.format or field.DEFAULT_FORMAT  # type: ignore[attr-defined]
        if fmt in field.SERIALIZATION_FUNCS:  # type: ignore[attr-defined]
            func = field.SERIALIZATION_FUNCS[fmt]  # type: ignore[attr-defined]
            if native and func is date.isoformat:
                return ("keep", date, func)
            if native and func is datetime.isoformat:
                return ("datetime", _iso_datetime)
            return ("call", func)
    if impl is fields.List._serialize:
        return ("each", _as_function(_conversion(field.inner, native)))  # type: ignore[attr-defined]
    if impl is fields.Nested._serialize:
        schema = field.schema  # type: ignore[attr-defined]
        many = bool(schema.many or field.many)  # type: ignore[attr-defined]
        return ("call", compile_dumper(schema, many=many, native=native))
    raise _Unknown(kind.__name__)


def _as_function(conversion: Conversion) -> Dumper | None:
    if conversion is None:
        return None
    if conversion[0] == "keep":
        _keep, cls, convert = conversion
        return lambda value: value if value.__class__ is cls else convert(value)
    if conversion[0] == "finite":
        convert = conversion[1]
        return lambda value: value if value.__class__ is float and value - value == 0.0 else convert(value)
    if conversion[0] == "each":
        each = conversion[1]
        if each is None:
            return list
        return lambda value: [None if item is None else each(item) for item in value]
    return conversion[1]  # type: ignore[no-any-return]


def _expression(fetch: str, conversion: Conversion, name: str) -> str:
    """Python source for one output value: `fetch` converted, None staying None."""
    if conversion is None:
        return fetch
    if conversion[0] == "keep":
        return f"(v if (v := {fetch}) is None or v.__class__ is {name}_cls else {name}(v))"
    if conversion[0] == "finite":
        return f"(v if (v := {fetch}) is None or (v.__class__ is float and v - v == 0.0) else {name}(v))"
    if conversion[0] == "datetime":
        plain = "v.__class__ is datetime and v.tzinfo in zones"
        return f"(v if (v := {fetch}) is None or ({plain}) else {name}(v))"
    if conversion[0] == "each" and conversion[1] is None:
        return f"(None if (v := {fetch}) is None else list(v))"
    if conversion[0] == "each":
        return f"(None if (v := {fetch}) is None else [None if i is None else {name}(i) for i in v])"
    return f"(None if (v := {fetch}) is None else {name}(v))"


def _is_name(attr: str) -> bool:
    """Whether `obj.<attr>` can be written in the generated source."""
    return attr.isidentifier() and not keyword.iskeyword(attr)


def _fetched_plainly(field: fields.Field) -> bool:
    """Whether `field.serialize` only fetches the value by its name and calls `_serialize`."""
    kind = type(field)
    return (
        kind.serialize is fields.Field.serialize
        and kind.get_value is fields.Field.get_value
        and field._CHECK_ATTRIBUTE
        and field.dump_default is missing
    )


def compile_dumper(schema: Schema, *, many: bool = False, native: bool = False) -> Dumper:
    """A function that returns what `schema.dump(obj, many=many)` returns.

    `native`: for orjson. UUIDs, dates and datetimes that orjson writes exactly as they would be
    converted stay as they are (a tree's 6,000 `isoformat()` and 2,500 `str(uuid)` calls were a
    tenth of its request), and a value orjson would write differently from the standard library
    (NaN, a type it does not know) raises Unwritable. A schema with a field it does not recognise
    raises Unwritable at once."""
    if schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP]:
        if native:
            raise Unwritable(f"{type(schema).__name__} has dump hooks")
        return lambda obj: schema.dump(obj, many=many)
    get_attribute = schema.get_attribute
    default_accessor = type(schema).get_attribute is Schema.get_attribute
    fast: list[tuple[str, str, Conversion]] = []
    slow: list[tuple[str, str, fields.Field]] = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attr = field.attribute if field.attribute is not None else name
        try:
            if not (default_accessor and _fetched_plainly(field)) or "." in attr:
                raise _Unknown(name)  # a custom accessor, or a dotted path through nested objects
            fast.append((key, attr, _conversion(field, native)))
        except _Unknown as unknown:
            if native:
                raise Unwritable(f"{type(schema).__name__}.{name}") from unknown
            slow.append((key, name, field))
    functions = [(key, attr, _as_function(conversion)) for key, attr, conversion in fast]
    new_dict = schema.dict_class

    def dump_fields(obj: Any) -> Any:
        """The fast fields as marshmallow's accessor finds them: for a dict, a key lookup (getattr
        only when the key is absent); for a plain tuple subclass (a named tuple, a row; no string
        keys), getattr; for anything else, the accessor itself."""
        out = new_dict()
        if obj.__class__ is dict:
            for key, attr, convert in functions:
                value = obj.get(attr, missing)
                if value is missing:
                    value = getattr(obj, attr, missing)
                    if value is missing:
                        continue
                out[key] = value if convert is None or value is None else convert(value)
        elif isinstance(obj, tuple) and type(obj).__getitem__ is tuple.__getitem__:
            for key, attr, convert in functions:
                value = getattr(obj, attr, missing)
                if value is not missing:
                    out[key] = value if convert is None or value is None else convert(value)
        else:
            for key, attr, convert in functions:
                value = get_attribute(obj, attr, missing)
                if value is not missing:
                    out[key] = value if convert is None or value is None else convert(value)
        return out

    named_tuples: set[type] = set()
    others: set[type] = set()

    def is_named_tuple(cls: type) -> bool:
        """Whether every fast field is one of the class's named tuple fields (which getattr reads
        and which never fail), remembered per class."""
        found = (
            issubclass(cls, tuple)
            and cls.__getitem__ is tuple.__getitem__
            and cls.__getattribute__ is tuple.__getattribute__
            and all(type(getattr(cls, attr, None)) is _TUPLE_FIELD for _k, attr, _c in fast)
        )
        (named_tuples if found else others).add(cls)
        return found

    names: dict[str, Any] = {
        "missing": missing,
        "dump_fields": dump_fields,
        "named_tuples": named_tuples,
        "others": others,
        "is_named_tuple": is_named_tuple,
        "needed": frozenset(attr for _k, attr, _c in fast),
        "slow": slow,
        "get_attribute": get_attribute,
        "datetime": datetime,
        "zones": _WHOLE_MINUTE_ZONES,
    }
    from_dict, from_tuple = [], []
    for index, (key, attr, conversion) in enumerate(fast):
        name = f"c{index}"
        if conversion is not None and conversion[0] == "keep":
            names[f"{name}_cls"], names[name] = conversion[1:]
        elif conversion is not None:
            names[name] = conversion[1]
        from_dict.append(f"{key!r}: {_expression(f'obj[{attr!r}]', conversion, name)}")
        if _is_name(attr):
            from_tuple.append(f"{key!r}: {_expression(f'obj.{attr}', conversion, name)}")
    if new_dict is not dict:
        source = "def dump_one(obj):\n    out = dump_fields(obj)\n"
    else:
        tuple_branch = (
            "    elif cls in named_tuples or (cls not in others and is_named_tuple(cls)):\n"
            f"        out = {{{', '.join(from_tuple)}}}\n"
            if len(from_tuple) == len(fast)
            else ""
        )
        source = (
            "def dump_one(obj):\n"
            "    cls = obj.__class__\n"
            "    if cls is dict and obj.keys() >= needed:\n"
            f"        out = {{{', '.join(from_dict)}}}\n"
            f"{tuple_branch}"
            "    else:\n"
            "        out = dump_fields(obj)\n"
        )
    if slow:
        source += (
            "    for key, name, field in slow:\n"
            "        value = field.serialize(name, obj, accessor=get_attribute)\n"
            "        if value is not missing:\n"
            "            out[key] = value\n"
        )
    source += "    return out\n"
    exec(compile(source, f"<dumper of {type(schema).__name__}>", "exec"), names)
    dump_one = names["dump_one"]

    if many:
        return lambda objs: dump_one(objs) if objs is None else [dump_one(obj) for obj in objs]
    return dump_one  # type: ignore[no-any-return]


def _refuse(unwritable: Unwritable) -> Dumper:
    def refuse(obj: Any) -> Any:
        raise Unwritable(*unwritable.args)

    return refuse


class FastDumpSchema(Schema):
    """A schema whose `dump` is compiled on first use; the output and the OpenAPI description
    are those of the same schema on plain marshmallow."""

    def _compiled(self, many: bool | None, native: bool) -> Dumper:
        many = self.many if many is None else bool(many)
        compiled = self.__dict__.setdefault("_compiled_dumpers", {})
        if (many, native) not in compiled:
            try:
                compiled[many, native] = compile_dumper(self, many=many, native=native)
            except Unwritable as unwritable:
                compiled[many, native] = _refuse(unwritable)
        return compiled[many, native]  # type: ignore[no-any-return]

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        return self._compiled(many, native=False)(obj)

    def dump_json(self, obj: Any, *, many: bool | None = None) -> bytes:
        """`self.dump(obj)` as JSON text, keys sorted and a newline at the end as Flask's jsonify
        writes it, in a tenth of the standard library's time. The same values, though not always
        the same characters: orjson writes UTF-8 where jsonify escapes non-ASCII characters, and
        1e16 where jsonify writes 1e+16 (the same number). Raises Unwritable for what orjson would
        write differently (NaN) or not at all (an integer beyond 64 bits, a lone surrogate, a field
        or hook it does not know): then send `self.dump(obj)` with jsonify."""
        try:
            return orjson.dumps(
                self._compiled(many, native=True)(obj),
                option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE,
            )
        except TypeError as error:  # orjson's JSONEncodeError or Unwritable among them
            # Whatever the fast path cannot take, the standard one answers (or fails) as it did.
            raise Unwritable(str(error)) from error
