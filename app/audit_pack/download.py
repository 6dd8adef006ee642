"""The audit pack's response, shared by the page and the API: the pack is read in the view (its rows, in
a fixed number of queries), then streamed after the view has returned, with no database and no request:
each stored file is read in chunks, hashed and written into the ZIP as the client reads it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import Response, current_app
from jinja2 import Template

from app.domain import audit_pack as rules
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


def renderers(template: Template) -> tuple[service.IndexRenderer, service.PdfRenderer]:
    def html(pack: service.Pack, lines: Sequence[rules.IndexLine]) -> str:
        return index_html(template, pack, lines, for_pdf=False)

    def pdf(pack: service.Pack, lines: Sequence[rules.IndexLine]) -> bytes:
        return html_to_pdf(index_html(template, pack, lines, for_pdf=True))

    return html, pdf


def pack_response(project: CertificationProject) -> Response:
    pack = service.pack_of(project, date.today())
    html, pdf = renderers(current_app.jinja_env.get_template(TEMPLATE))
    body = service.stream(pack, evidence_service.store(), html, pdf, current_app.logger)
    response = Response(body, mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition("attachment", pack.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response
