"""The language switcher and the request's language (issue 17): the person's choice, else the browser's,
else English; kept on the account when logged in, in the session before; no query added to a page."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import refresh
from flask_login import login_user
from sqlalchemy import select

from app.domain.text import _l
from app.extensions import db
from app.i18n import _plotly_locale, format_day, month_abbreviations
from app.models import User
from tests.factories import PASSWORD, login
from tests.querycount import count_queries

HTML_LANG = re.compile(r'<html lang="([^"]+)">')


def lang_of(page: str) -> str:
    found = HTML_LANG.search(page)
    assert found, page[:200]
    return found.group(1)


def test_english_without_a_choice_or_a_spoken_browser_language(client):
    assert lang_of(client.get("/login").text) == "en"
    assert lang_of(client.get("/login", headers={"Accept-Language": "fr-FR,de;q=0.8"}).text) == "en"


def test_the_browsers_language_decides_before_any_choice(client):
    page = client.get("/login", headers={"Accept-Language": "fr,vi-VN;q=0.9,en;q=0.5"}).text
    assert lang_of(page) == "vi"
    assert 'aria-current="true">Tiếng Việt</button>' in page
    assert lang_of(client.get("/login", headers={"Accept-Language": "zh-CN"}).text) == "zh-Hans"


def test_before_log_in_the_choice_is_kept_in_the_session(client):
    response = client.post("/language", data={"locale": "th", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert lang_of(client.get("/login", headers={"Accept-Language": "vi"}).text) == "th"
    client.post("/language", data={"locale": "", "next": "/login"})  # back to the browser's language
    assert lang_of(client.get("/login", headers={"Accept-Language": "vi"}).text) == "vi"


def test_a_logged_in_choice_is_kept_on_the_account_and_follows_the_person(app, client, owner):
    response = client.post("/language", data={"locale": "id", "next": "/clients"})
    assert response.status_code == 303 and response.headers["Location"] == "/clients"
    assert db.session.execute(select(User.locale).where(User.id == owner.id)).scalar_one() == "id"
    other_browser = app.test_client()
    login(other_browser, owner)
    assert lang_of(other_browser.get("/clients", headers={"Accept-Language": "th"}).text) == "id"


def test_an_unknown_language_is_refused_in_the_pages_language_and_nothing_is_saved(client, owner):
    client.post("/language", data={"locale": "vi", "next": "/clients"})
    response = client.post("/language", data={"locale": "xx", "next": "/clients"}, follow_redirects=True)
    assert "Ứng dụng chưa hỗ trợ ngôn ngữ này." in response.text
    assert db.session.execute(select(User.locale).where(User.id == owner.id)).scalar_one() == "vi"


def test_the_switcher_returns_only_to_this_site(client):
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post("/language", data={"locale": "vi", "next": target})
        assert response.status_code == 303 and "evil" not in response.headers["Location"]


def test_the_switcher_needs_the_forms_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/language", data={"locale": "vi"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_chosen_language_adds_no_query_to_a_page(client, owner):
    client.get("/clients")
    with count_queries() as english:
        assert client.get("/clients").status_code == 200
    client.post("/language", data={"locale": "zh_Hans", "next": "/clients"})
    client.get("/clients")
    with count_queries() as chinese:
        page = client.get("/clients")
    assert lang_of(page.text) == "zh-Hans"
    assert len(chinese) == len(english)


def test_days_are_written_in_the_readers_language_and_calendar(client, owner):
    day = date(2026, 12, 2)

    def written(language: str, user: User | None = None) -> str:
        with client.application.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the test's app context outlives each request context; Babel keeps its choice there
            if user is not None:
                login_user(user)
            return format_day(day)

    assert written("vi") == "2 thg 12, 2026"
    assert written("en") == "02 Dec 2026"
    assert written("zh-CN") == "2026年12月2日"
    owner.date_calendar = "buddhist"
    db.session.commit()
    assert written("th", owner) == "2 ธ.ค. 2569"
    assert written("en", owner) == "02 Dec 2569"
    assert format_day(None) == "—"


def test_a_language_chosen_before_log_in_becomes_the_persons_own(client, make, tree):
    user = make.user(tree["workspace"])
    client.post("/language", data={"locale": "th", "next": "/login"})
    login(client, user, PASSWORD)  # through the log-in form
    assert db.session.execute(select(User.locale).where(User.id == user.id)).scalar_one() == "th"
    assert lang_of(client.get("/clients", headers={"Accept-Language": "vi"}).text) == "th"


def test_a_persons_own_language_wins_over_one_chosen_before_log_in(client, make, tree):
    user = make.user(tree["workspace"])
    user.locale = "id"
    db.session.commit()
    client.post("/language", data={"locale": "th", "next": "/login"})
    login(client, user, PASSWORD)  # through the log-in form
    assert db.session.execute(select(User.locale).where(User.id == user.id)).scalar_one() == "id"
    assert lang_of(client.get("/clients").text) == "id"


def test_clause_titles_are_shown_in_the_readers_language_and_stored_in_english(client, owner, tree):
    from flask_babel import force_locale

    from app.models import Clause

    clause = db.session.execute(
        select(Clause).where(Clause.number == "4.1", Clause.standard_id == tree["project"].standard_id)
    ).scalar_one()
    assert clause.title == "Understanding the organization and its context"  # the value: English
    with force_locale("vi"):
        shown = str(clause.title)
    assert shown != clause.title and shown.strip()
    page = client.get(
        f"/projects/{tree['project'].id}/gap-analysis?section=4", headers={"Accept-Language": "vi"}
    )
    assert shown in page.text and "Understanding the organization and its context" not in page.text


def test_the_owner_role_and_a_gaps_owner_are_told_apart_in_translation(client, owner, tree):
    from flask_babel import force_locale

    from app.domain.permissions import ROLE_LABELS

    with force_locale("vi"):
        role, person = str(ROLE_LABELS["owner"]), str(_l("Owner"))
    assert ROLE_LABELS["owner"] == "Owner" and role != person
    client.post("/language", data={"locale": "vi", "next": "/members"})
    assert role in client.get("/members").text
    assert person in client.get(f"/projects/{tree['project'].id}/gap-analysis?section=4").text


def test_numbers_in_messages_are_grouped_the_readers_way(client, owner):
    """A limit in a refusal ("at most 10,000 characters") is written with the reader's group sign."""
    from app.domain import risks

    def written(language: str) -> str:
        with client.application.test_request_context(headers={"Accept-Language": language}):
            refresh()
            return risks.limit_errors(description="x" * (risks.TEXT_MAX_LENGTH + 1))["description"]

    assert "10,000" in written("en")
    assert "10.000" in written("vi") and "10,000" not in written("vi")
    assert "10.000" in written("id")
    assert "10,000" in written("th")


def test_a_chart_page_gives_plotly_the_readers_month_names(client, owner, tree):
    """plotly.js draws the axes (static/js/charts.js): the page hands it the reader's months and number signs
    from Babel's CLDR data, and nothing in English, plotly's own."""
    import json
    from html import unescape

    url = f"/projects/{tree['project'].id}/charts"
    assert 'name="plotly-locale"' not in client.get(url).text
    client.post("/language", data={"locale": "th", "next": "/clients"})
    page = client.get(url).text
    found = re.search(r'<meta name="plotly-locale" content="([^"]+)">', page)
    assert found, "no locale for plotly.js on a Thai chart page"
    locale = json.loads(unescape(found.group(1)))
    assert locale["name"] == "th"
    assert locale["format"]["shortMonths"][11] == "ธ.ค."
    assert locale["format"]["days"][0] == "วันอาทิตย์"  # plotly's weeks start on Sunday
    client.post("/language", data={"locale": "vi", "next": "/clients"})
    found = re.search(r'<meta name="plotly-locale" content="([^"]+)">', client.get(url).text)
    assert found and json.loads(unescape(found.group(1)))["format"]["thousands"] == "."


def test_the_pdf_reports_charts_name_the_months_as_the_charts_page_does(app):
    """The report's date axes (app.services.svg_charts) take plotly.js's short month names, in the reader's
    language; English outside a request (a command)."""
    import json

    assert month_abbreviations()[11] == "Dec"
    with app.test_request_context(headers={"Accept-Language": "th"}):
        refresh()
        months = month_abbreviations()
    assert months[11] == "ธ.ค."
    assert list(months) == json.loads(_plotly_locale("th"))["format"]["shortMonths"]


def test_the_kept_catalog_follows_a_forced_language_and_back(client):
    """The request keeps its catalog for every word it translates; an e-mail written in its recipient's
    language (force_locale) inside the request gets that language's words, and the page its own after."""
    from flask_babel import force_locale

    from app.domain.text import _

    with client.application.test_request_context(headers={"Accept-Language": "vi"}):
        refresh()
        page = _("Gap analysis")
        assert page != "Gap analysis" and _("Gap analysis") == page
        with force_locale("th"):
            thai = _("Gap analysis")
            assert thai not in (page, "Gap analysis")
            with force_locale("en"):
                assert _("Gap analysis") == "Gap analysis"
            assert _("Gap analysis") == thai
        assert _("Gap analysis") == page
