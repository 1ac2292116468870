"""Paged lists: the query arguments, the envelope schema, and running a select page by page."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from .db import db

MAX_PER_PAGE = 200


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


_page_schemas: dict[str, type[Schema]] = {}


def page_schema(item: type[Schema]) -> type[Schema]:
    """The envelope `{items, page, per_page, total}` for a list of `item`."""
    name = item.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _page_schemas:
        _page_schemas[name] = type(
            name,
            (Schema,),
            {
                "items": fields.List(fields.Nested(item), required=True),
                "page": fields.Integer(required=True),
                "per_page": fields.Integer(required=True),
                "total": fields.Integer(required=True),
            },
        )
    return _page_schemas[name]


def page_of(stmt: sa.Select[Any], args: dict[str, Any], *, scalars: bool = True) -> dict[str, Any]:
    """One page of `stmt` (which must have a deterministic ORDER BY) plus the total count."""
    page, per_page = args.get("page", 1), args.get("per_page", 50)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    paged = stmt.offset((page - 1) * per_page).limit(per_page)
    items = db.session.scalars(paged).all() if scalars else db.session.execute(paged).all()
    return {"items": list(items), "page": page, "per_page": per_page, "total": total or 0}
