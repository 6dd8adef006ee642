"""The audit pack's response, shared by the page and the API: the pack is read in the view (its rows, in
a fixed number of queries), then streamed after the view has returned, with no database and no request:
each stored file is read in chunks, hashed and written into the ZIP as the client reads it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from flask import Flask, Response, current_app
from flask_babel import force_locale, get_locale
from jinja2 import Template

from app.domain import audit_pack as rules
from app.domain.languages import DEFAULT
from app.models import CertificationProject
from app.services import audit_pack as service
from app.services import evidence as evidence_service
from app.services.pdf import html_to_pdf
from app.web.download import content_disposition

TEMPLATE = "audit_pack/index.html"


def index_html(
    template: Template, pack: service.Pack, lines: Sequence[rules.IndexLine], for_pdf: bool
) -> str:
    """The index, rendered once the files are read, when the request has ended (a template with no
    ``url_for`` or request needs no context). The PDF names each file's path without linking it (a
    relative link in a PDF would point into the server's files) and breaks each SHA-256 in two."""
    return template.render(
        cover=pack.cover,
        sections=rules.index_sections(lines),
        summary=rules.summarise(lines),
        kind_labels=rules.KIND_LABELS,
        for_pdf=for_pdf,
    )


@contextmanager
def _in_language(app: Flask | None, locale: str) -> Iterator[None]:
    """The reader's language for an index rendered once the request has ended (none given: English)."""
    if app is None:
        yield
        return
    with app.app_context(), force_locale(locale):
        yield


def renderers(
    template: Template, app: Flask | None = None, locale: str = DEFAULT
) -> tuple[service.IndexRenderer, service.PdfRenderer]:
    def html(pack: service.Pack, lines: Sequence[rules.IndexLine]) -> str:
        with _in_language(app, locale):
            return index_html(template, pack, lines, for_pdf=False)

    def pdf(pack: service.Pack, lines: Sequence[rules.IndexLine]) -> bytes:
        with _in_language(app, locale):
            page = index_html(template, pack, lines, for_pdf=True)
        return html_to_pdf(page)

    return html, pdf


def pack_response(project: CertificationProject) -> Response:
    pack = service.pack_of(project, date.today())
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    html, pdf = renderers(app.jinja_env.get_template(TEMPLATE), app, str(get_locale() or DEFAULT))
    body = service.stream(pack, evidence_service.store(), html, pdf, current_app.logger)
    response = Response(body, mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition("attachment", pack.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
