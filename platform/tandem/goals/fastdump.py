"""Dump big read payloads through their marshmallow schema at a fraction of marshmallow's cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

# A goal tree is thousands of nested items, and marshmallow spends most of its time per field on
# generic machinery (accessor lookups, missing and default checks, method dispatch) rather than on
# converting values. `compile_dumper` resolves that machinery once per schema and converts each
# value exactly as the field's own `_serialize` would; whatever it does not recognise (a custom
# field, hooks, accessors, dump defaults, non-ISO formats) is left to marshmallow itself, so the
# output is always what `Schema.dump` gives. tests/unit/goals/test_fastdump.py holds it to that.

Dumper = Callable[[Any], Any]


class _Unknown(Exception):
    """Only marshmallow knows how this field dumps."""


def _converter(field: fields.Field) -> Dumper | None:
    """What `field._serialize` does to a value that is not None, as a one-argument function (None
    when it returns the value unchanged). Every `_serialize` matched here returns None for None."""
    kind = type(field)
    impl = kind._serialize
    if impl is fields.Field._serialize:  # Boolean, Raw
        return None
    if impl is fields.String._serialize:
        return lambda value: value if value.__class__ is str else field._serialize(value, None, None)
    if impl is fields.UUID._serialize:
        return str
    number = impl is fields.Number._serialize and kind._format_num is fields.Number._format_num
    if number and not field.as_string:  # type: ignore[attr-defined]
        return field.num_type  # type: ignore[attr-defined, no-any-return]
    if impl is fields.DateTime._serialize:  # every temporal field: Date, DateTime, Time
        fmt = field.format or field.DEFAULT_FORMAT  # type: ignore[attr-defined]
        if fmt in field.SERIALIZATION_FUNCS:  # type: ignore[attr-defined]
            return field.SERIALIZATION_FUNCS[fmt]  # type: ignore[attr-defined, no-any-return]
    if impl is fields.List._serialize:
        each = _converter(field.inner)  # type: ignore[attr-defined]
        if each is None:
            return list
        return lambda value: [None if item is None else each(item) for item in value]
    if impl is fields.Nested._serialize:
        schema = field.schema  # type: ignore[attr-defined]
        return compile_dumper(schema, many=bool(schema.many or field.many))  # type: ignore[attr-defined]
    raise _Unknown(kind.__name__)


def _fetched_plainly(field: fields.Field) -> bool:
    """Whether `field.serialize` only fetches the value by its name and calls `_serialize`."""
    kind = type(field)
    return (
        kind.serialize is fields.Field.serialize
        and kind.get_value is fields.Field.get_value
        and field._CHECK_ATTRIBUTE
        and field.dump_default is missing
    )


def compile_dumper(schema: Schema, *, many: bool = False) -> Dumper:
    """A function that returns what `schema.dump(obj, many=many)` returns."""
    if schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP]:
        return lambda obj: schema.dump(obj, many=many)
    get_attribute = schema.get_attribute
    default_accessor = type(schema).get_attribute is Schema.get_attribute
    fast: list[tuple[str, str, Dumper | None]] = []
    slow: list[tuple[str, str, fields.Field]] = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attr = field.attribute if field.attribute is not None else name
        try:
            if not (default_accessor and _fetched_plainly(field)) or "." in attr:
                raise _Unknown(name)  # a custom accessor, or a dotted path through nested objects
            fast.append((key, attr, _converter(field)))
        except _Unknown:
            slow.append((key, name, field))
    new_dict = schema.dict_class

    def dump_one(obj: Any) -> Any:
        out = new_dict()
        # marshmallow's accessor tries obj[name], then getattr(obj, name): for a dict that is a
        # key lookup (getattr only when the key is absent); a plain tuple subclass (a named tuple,
        # a row) has no string keys, so straight to getattr; anything else takes the accessor.
        if obj.__class__ is dict:
            for key, attr, convert in fast:
                value = obj.get(attr, missing)
                if value is missing:
                    value = getattr(obj, attr, missing)
                    if value is missing:
                        continue
                out[key] = value if convert is None or value is None else convert(value)
        elif isinstance(obj, tuple) and type(obj).__getitem__ is tuple.__getitem__:
            for key, attr, convert in fast:
                value = getattr(obj, attr, missing)
                if value is not missing:
                    out[key] = value if convert is None or value is None else convert(value)
        else:
            for key, attr, convert in fast:
                value = get_attribute(obj, attr, missing)
                if value is not missing:
                    out[key] = value if convert is None or value is None else convert(value)
        for key, name, field in slow:
            value = field.serialize(name, obj, accessor=get_attribute)
            if value is not missing:
                out[key] = value
        return out

    if many:
        return lambda objs: dump_one(objs) if objs is None else [dump_one(obj) for obj in objs]
    return dump_one


class FastDumpSchema(Schema):
    """A schema whose `dump` is compiled on first use; the output and the OpenAPI description
    are those of the same schema on plain marshmallow."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        many = self.many if many is None else bool(many)
        compiled = self.__dict__.setdefault("_compiled_dumpers", {})
        if many not in compiled:
            compiled[many] = compile_dumper(self, many=many)
        return compiled[many](obj)
