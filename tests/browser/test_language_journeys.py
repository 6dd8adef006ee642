"""A factory's people work in their own language (issue 17): in Vietnamese from the browser's language, and
in Thai chosen from the header, they log in, assess a requirement in place and read the project page.

The words looked for are read from each language's catalog (``tr``), so the journeys follow the translations
rather than repeat them."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from app.i18n import _plotly_locale
from tests.browser.journeys import PASSWORD
from tests.browser.test_gap_in_place import gap_page
from tests.i18n_marks import ROOT

ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _catalog(code: str) -> dict[str, str]:
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=code)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


def tr(code: str, english: str, **values: str) -> str:
    """The catalog's words for ``english`` (some, "Email" say, are the same in the language)."""
    translated = _catalog(code)[english]
    return translated % values if values else translated


def log_in_as(page: Page, base: str, email: str, code: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(tr(code, "Email"), exact=True).fill(email)
    page.get_by_label(tr(code, "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=tr(code, "Log in"), exact=True).click()
    expect(page.get_by_role("button", name=tr(code, "Log out"))).to_be_attached()


def assess_and_read_the_project(page: Page, gap_url: str, code: str) -> None:
    page.goto(gap_url)
    expect(page.locator("html")).to_have_attribute("lang", code.replace("_", "-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(code, "Gap analysis"))
    card = page.locator("#clause-4-1")
    card.get_by_label(tr(code, "Status"), exact=True).select_option("partial")
    card.get_by_role("button", name=f"{tr(code, 'Save')} 4.1").click()
    expect(card.get_by_role("status")).to_have_text(tr(code, "%(clause)s saved.", clause="4.1"))
    expect(card.locator(".badge[data-status]")).to_have_text(tr(code, "Partly met"))

    page.goto(gap_url.removesuffix("/gap-analysis"))
    expect(page.locator("html")).to_have_attribute("lang", code.replace("_", "-"))
    main = page.locator("main")
    expect(main).to_contain_text(tr(code, "Readiness"))
    expect(main.get_by_role("link", name=tr(code, "Gap analysis")).first).to_be_visible()
    for english in ("Gap analysis", "Readiness", "Evidence coverage"):
        assert tr(code, english) != english
        expect(main).not_to_contain_text(english)

    # the charts' date axes, drawn by plotly.js in the browser, name the months in the language too
    page.goto(gap_url.removesuffix("/gap-analysis") + "/charts")
    ticks = page.locator("#history-figure[data-drawn] .xtick text")
    expect(ticks.first).to_be_attached()
    months = json.loads(_plotly_locale(code))["format"]["shortMonths"]
    written = ticks.all_text_contents()
    assert written and all(any(month in tick for month in months) for tick in written), written
    assert not any(english in tick for tick in written for english in ENGLISH_MONTHS), written


def test_in_vietnamese_from_the_browsers_language(browser: Browser, live_server: str, live_app: Any) -> None:
    url = gap_page(live_server, live_app, "thu.vi@example.com", "Tieng Viet")
    context = browser.new_context(locale="vi-VN")
    try:
        page = context.new_page()
        log_in_as(page, live_server, "thu.vi@example.com", "vi")
        assess_and_read_the_project(page, url, "vi")
    finally:
        context.close()


def test_in_thai_chosen_from_the_header(page: Page, live_server: str, live_app: Any) -> None:
    url = gap_page(live_server, live_app, "somchai.th@example.com", "Phasa Thai")
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="Language: English").click()
    page.get_by_role("button", name="ไทย").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    log_in_as(page, live_server, "somchai.th@example.com", "th")
    assess_and_read_the_project(page, url, "th")
