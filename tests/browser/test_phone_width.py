"""On a phone (390 by 844 px) and a laptop (1280 px), in every language, no page of the demo scrolls sideways:
the page is never wider than the window. Wide tables may scroll inside their own .table-responsive box; the
page around them stays put."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize
from sqlalchemy import select, update

from app.domain.catalog import STAGE_KEYS
from app.domain.languages import LANGUAGES
from app.domain.pathway import standard_family
from app.domain.registers import RegisterKey, registers_for
from app.extensions import db
from app.models import (
    Certificate,
    CertificationBody,
    CertificationProject,
    Complaint,
    ContextIssue,
    ExternalAudit,
    Finding,
    Instrument,
    InterestedParty,
    InternalAudit,
    ManagementReview,
    QualityObjective,
    Quote,
    Risk,
    RiskFile,
    SatisfactionMeasure,
    SoftwareValidation,
    Standard,
    Supplier,
    User,
    Workspace,
)
from app.models.documents import ControlledDocument
from app.services import demo
from tests.browser import a11y

PHONE: ViewportSize = {"width": 390, "height": 844}

# The elements that stick out past the right edge, outside any box that scrolls on its own: names the culprit
# when a page is too wide.
SPILL = """() => {
  const width = window.innerWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
      + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


PARTS = 5  # the workspace's own pages, then each of the four demo projects: a test each, spread over workers


def demo_pages(live_app: Any, part: int) -> list[str]:
    """The workspace's pages (part 0: the project and client lists, bodies, certificates) or the main pages
    of the part-th demo project (1 to 4)."""
    return _all_demo_pages(live_app)[part]


def _all_demo_pages(live_app: Any) -> list[list[str]]:
    parts: list[list[str]] = []
    with live_app.app_context():
        if not demo.demo_exists():
            demo.create_demo()
            db.session.commit()
        paths = ["/projects", "/clients", "/clients/new", "/members", "/account"]
        paths += ["/certification-bodies", "/certification-bodies/new", "/certificates", "/share-links"]
        paths += _first(CertificationBody, "/certification-bodies/{}", workspace=True)
        paths += _first(Certificate, "/certificates/{}", workspace=True)
        parts.append(paths)
        for project_id, code in db.session.execute(
            select(CertificationProject.id, Standard.code)
            .join(Standard, Standard.id == CertificationProject.standard_id)
            .join(Workspace, Workspace.id == CertificationProject.workspace_id)
            .where(Workspace.name == demo.DEMO_WORKSPACE, CertificationProject.deleted_at.is_(None))
            .order_by(CertificationProject.id)
        ).all():
            base = f"/projects/{project_id}"
            paths = [base, f"{base}/gap-analysis", f"{base}/gap-analysis?section=all"]
            parts.append(paths)
            paths += [f"{base}/stages/{stage}" for stage in STAGE_KEYS]
            paths += [
                f"{base}/evidence",
                f"{base}/documented-information",
                f"{base}/budget",
                f"{base}/charts",
                f"{base}/documents",
                f"{base}/people",
                f"{base}/training",
                f"{base}/training-matrix",
                # and the forms and lists a phone user reaches from those
                f"{base}/evidence/new",
                f"{base}/documents/new",
                f"{base}/people/new",
                f"{base}/training/sessions",
                f"{base}/training/requirements",
                f"{base}/training/roles",
                f"{base}/budget/estimate",
                f"{base}/requirements/5.3",
                f"{base}/edit",
            ]
            document_id = db.session.execute(
                select(ControlledDocument.id).where(ControlledDocument.project_id == project_id).limit(1)
            ).scalar()
            if document_id is not None:
                paths.append(f"{base}/documents/{document_id}")
            # the records of the audit, review and certification stages
            paths += [f"{base}/{area}" for area in RECORD_AREAS]
            paths += _first(InternalAudit, base + "/audits/{}", project_id)
            paths += _first(InternalAudit, base + "/audits/{}/checklist", project_id)
            paths += _first(InternalAudit, base + "/audits/{}/report", project_id)
            paths += _first(Finding, base + "/findings/{}", project_id)
            paths += _first(ManagementReview, base + "/reviews/{}", project_id)
            paths += _first(ManagementReview, base + "/reviews/{}/minutes", project_id)
            paths += _first(QualityObjective, base + "/objectives/{}", project_id)
            paths += _first(ExternalAudit, base + "/external-audits/{}", project_id)
            paths += _first(Quote, base + "/quotes/{}", project_id)
            # the running registers of its standard, and one record of each the project keeps
            family = standard_family(code)
            paths.append(f"{base}/registers")
            paths += [f"{base}/{REGISTER_PATHS[r.key]}" for r in registers_for(family)]
            for model, path in REGISTER_RECORDS:
                paths += _first(model, base + path, project_id)
        first_project = parts[1][0]
        parts[0] += [f"{first_project}/{form}" for form in REGISTER_FORMS]  # the same forms in every project
    return parts


def page_kinds(live_app: Any) -> list[str]:
    """One page of each kind in the demo (a path with its ids taken out: ``/projects/{}/risks/{}``), the
    first met: every template the walk reaches, with the rows of the first project that fills it."""
    seen: set[str] = set()
    paths = []
    for path in (path for part in _all_demo_pages(live_app) for path in part):
        kind = re.sub(r"/\d+", "/{}", path)
        if kind not in seen:
            seen.add(kind)
            paths.append(path)
    return paths


REGISTER_PATHS = {key: str(key).replace("_", "-") for key in RegisterKey}
REGISTER_FORMS = (
    "context/issues/new",
    "context/parties/new",
    "risks/new",
    "equipment/new",
    "suppliers/new",
    "complaints/new",
    "satisfaction/new",
    "risk-files/new",
    "software/new",
)
REGISTER_RECORDS = (
    (ContextIssue, "/context/issues/{}"),
    (InterestedParty, "/context/parties/{}"),
    (Risk, "/risks/{}"),
    (Instrument, "/equipment/{}"),
    (Supplier, "/suppliers/{}"),
    (Complaint, "/complaints/{}"),
    (SatisfactionMeasure, "/satisfaction/{}"),
    (RiskFile, "/risk-files/{}"),
    (SoftwareValidation, "/software/{}"),
)


RECORD_AREAS = (
    "audits",
    "audits/new",
    "findings",
    "findings/new",
    "reviews",
    "objectives",
    "go-no-go",
    "quotes",
    "external-audits",
)


def _first(model: Any, path: str, project_id: int | None = None, workspace: bool = False) -> list[str]:
    """The path of the first row of ``model`` in the demo project (or the demo workspace), if it has one."""
    stmt = select(model.id).order_by(model.id).limit(1)
    if workspace:
        stmt = stmt.join(Workspace, Workspace.id == model.workspace_id).where(
            Workspace.name == demo.DEMO_WORKSPACE
        )
    else:
        stmt = stmt.where(model.project_id == project_id)
    found = db.session.execute(stmt).scalar()
    return [path.format(found)] if found is not None else []


LAPTOP: ViewportSize = {"width": 1280, "height": 844}
# English walks every page of the demo, in five parts; each other language walks one page of each kind
WALKS = [("en", part) for part in range(PARTS)] + [(code, None) for code in LANGUAGES if code != "en"]


@pytest.mark.parametrize(("code", "part"), WALKS)
def test_no_demo_page_scrolls_sideways_in_any_language(
    page: Page, live_server: str, live_app: Any, code: str, part: int | None
) -> None:
    """The pages of the demo, in each language the app speaks (Thai runs its words together, Vietnamese's
    are long, Chinese's do not break at spaces), on a phone and on a laptop: never wider than the window.
    Each page is loaded once at the phone's width and measured again at the laptop's."""
    from tests.browser.test_language_journeys import tr

    paths = demo_pages(live_app, part) if part is not None else page_kinds(live_app)
    a11y.once_per_kind(page)  # axe checks each kind of page once; the width is measured on every one
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/login")
    if code != "en":
        page.get_by_role("button", name="Language: English").click()
        page.get_by_role("button", name=LANGUAGES[code]).click()
    word = (lambda english: english) if code == "en" else (lambda english: tr(code, english))
    page.get_by_label(word("Email"), exact=True).fill(demo.DEMO_EMAIL)
    page.get_by_label(word("Password"), exact=True).fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name=word("Log in"), exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
    too_wide = []
    try:
        for path in paths:
            page.set_viewport_size(PHONE)
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.ok, path
            assert page.evaluate("document.documentElement.lang") == code.replace("_", "-")
            for size in (PHONE, LAPTOP):
                if size is LAPTOP:
                    page.set_viewport_size(size)
                page_width, window_width = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if page_width > window_width:
                    too_wide.append(f"{path} at {size['width']} px: {page_width} px, {page.evaluate(SPILL)}")
    finally:  # the demo consultant reads English again in the other tests of this live server
        with live_app.app_context():
            db.session.execute(update(User).where(User.email == demo.DEMO_EMAIL).values(locale=""))
            db.session.commit()
    assert len(paths) > 8
    assert not too_wide, f"pages wider than the window in {code}:\n" + "\n".join(too_wide)
