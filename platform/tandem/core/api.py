"""The flask-smorest Api for /api/v1: OpenAPI 3.1, Bearer security, one error shape."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import Schema
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict

API_PREFIX = "/api/v1"


class TandemApi(Api):  # type: ignore[misc]
    """flask-smorest with our error handlers (they keep the Allow header on 405 responses) and
    the common error responses documented on every operation, so clients know what to expect."""

    def _register_error_handlers(self) -> None:
        # Ours are registered by create_app (core.errors); smorest's would drop headers.
        pass

    def init_app(self, app: Flask, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth",
            {
                "type": "http",
                "scheme": "bearer",
                "description": "An API token made with "
                "`tandem create-token` or POST /api/v1/tokens, sent as `Authorization: Bearer <token>`.",
            },
        )
        self.spec.options["security"] = [{"bearerAuth": []}]


def api_config(app: Flask) -> None:
    app.config.update(
        API_TITLE="Tandem API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH=None,  # served from vendored assets by web.views (no CDN)
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Tandem's HTTP API. Authenticate with `Authorization: Bearer <token>`. "
                    "Errors share one shape: `{code, status, message, errors: {json: {field: "
                    "[messages]}}}`. Another organisation's objects answer 404, never 403."
                )
            },
            "servers": [{"url": "/"}],
        },
    )


class StrictParser(FlaskParser):  # type: ignore[misc]
    """Unknown query parameters are an error (a typo like `per-page` must not be ignored), and
    location "files" reads a whole multipart body (its files and its plain fields), so one
    schema documents an upload form as a single multipart/form-data request body."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None}

    def load_files(self, req: Any, schema: Any) -> Any:
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


class TandemBlueprint(Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = StrictParser()


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    return TandemBlueprint(name, name, url_prefix=API_PREFIX + url_prefix, description=description)


def update_schema(schema_class: type[Schema]) -> Schema:
    """A PATCH body: any top-level field may be left out, but a nested object or list item that
    is sent is checked whole. (marshmallow's partial=True reaches into nested schemas too, so a
    milestone without its required offset came through to the service as a missing key: a 500.)"""
    return schema_class(partial=tuple(schema_class().fields))


ERROR_RESPONSES = (401, 403, 404, 409, 422, 429)


def document_errors(blp: Blueprint, *codes: int) -> Any:
    """Document the error statuses an operation can answer (all share ErrorSchema)."""

    def decorator(func: Any) -> Any:
        for code in codes or ERROR_RESPONSES:
            func = blp.alt_response(code, response=HTTPStatus(code).name)(func)
        return func

    return decorator
