"""HR admin page: import people from a CSV file. Uploading always checks first (a dry run that
writes nothing and lists every problem by row and column); "Apply" sends the same content back
(carried in the page as a hidden field) and the importer checks it again before writing."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import request

from ..people import imports
from ..people.importer import ImportOptions
from .blueprint import web
from .forms import Form, attempt
from .pages import me, page
from .views_admin_shared import admin_only

# Werkzeug keeps at most 500 kB of plain form fields in memory; base64 grows text by a third.
CARRY_LIMIT = 300_000
OPTIONS = ("deactivate_missing", "allow_multiple_roots")
SHOWN_CHANGES = 500


def _decode(raw: bytes, form: Form, field: str) -> str | None:
    """The file's text, or None with the reason on `field` (the API answers the same things)."""
    if len(raw) > imports.MAX_BYTES:
        form.add_errors({field: [f"larger than {imports.MAX_BYTES // (1024 * 1024)} MB"]})
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_errors({field: ["not UTF-8 text; save the CSV as UTF-8"]})
        return None
    if "\x00" in text:
        form.add_errors({field: ["contains NUL characters: not a text CSV"]})
        return None
    if not text.strip():
        form.add_errors({field: ["the file is empty"]})
        return None
    return text


def _options(form: Form) -> ImportOptions:
    return ImportOptions(**{name: form.checked(name) for name in OPTIONS})


def _carry(text: str) -> str:
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return encoded if len(encoded) <= CARRY_LIMIT else ""


def _render(  # type: ignore[no-untyped-def]
    form: Form, report: dict[str, Any] | None = None, text: str = "", filename: str = ""
):
    return page(
        "admin/import.html",
        form,
        form=form,
        report=report,
        carried=_carry(text) if report and report["valid"] and not report["applied"] else "",
        filename=filename,
        shown_changes=SHOWN_CHANGES,
    )


@web.get("/admin/people/import", endpoint="admin_import")
@admin_only
def admin_import():  # type: ignore[no-untyped-def]
    return _render(Form())


@web.post("/admin/people/import")
@admin_only
def admin_import_check():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.add_errors({"file": ["choose a CSV file"]})
        return _render(form)
    text = _decode(upload.read(imports.MAX_BYTES + 1), form, "file")
    if text is None:
        return _render(form)
    actor = me()
    report = attempt(form, lambda: imports.import_people(actor, text, _options(form), dry_run=True))
    return _render(form, report, text, upload.filename)


@web.post("/admin/people/import/apply")
@admin_only
def admin_import_apply():  # type: ignore[no-untyped-def]
    form = Form.from_request()
    filename = form.text("filename")[:255] or "people.csv"
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        raw, filename = upload.read(imports.MAX_BYTES + 1), upload.filename
    else:
        try:
            raw = base64.b64decode(form.text("content"), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if not raw:
            form.add_errors({"file": ["the checked file did not come back: upload it again"]})
            return _render(form)
    text = _decode(raw, form, "file")
    if text is None:
        return _render(form)
    actor = me()
    report = attempt(
        form, lambda: imports.import_people(actor, text, _options(form), dry_run=False, filename=filename)
    )
    if report is not None and not report["applied"]:
        form.fail("The file has problems, so nothing was imported. Fix them and check it again.", 422)
    return _render(form, report, text, filename)
