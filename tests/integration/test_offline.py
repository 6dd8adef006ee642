"""Works offline: no page of the app, and no stylesheet or script it serves, loads anything from another host.

The test walks the demo as its consultant would (client list, clients, sites, projects, gap analysis,
requirements, stages, tasks, charts, budget, evidence, account...), following every link of the app, and
checks every ``src``, ``href`` and CSS ``url()``. Links out to a document's own address (evidence entered
as a link) are the user's data, not the app's, and are allowed; so are the links a certification body's
pages give to check its accreditation (IAF CertSearch, and the body's own website).

Our own scripts and every stylesheet have no address outside comments. The vendored scripts are read
differently: Bootstrap's error messages name its documentation, and plotly.js's map trace types carry
tile-server addresses the app never uses (it draws bars and lines only, which the figures on every page
confirm). tests/browser/test_budget_journey.py checks that no request leaves the app while charts draw.
"""

from __future__ import annotations

import json
import re
from collections import deque
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from app.domain.certification import IAF_CERTSEARCH
from app.extensions import db
from app.models import CertificationBody, EvidenceItem
from app.services import demo

ORIGIN = "http://localhost"
PLOTLY = "/static/vendor/plotly/plotly.min.js"
ASSET_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "input": ("src",),
}
MAX_PER_KIND = 2  # pages visited per URL shape (/projects/N/stages/x...): every kind of page, not all rows
DRAWN_TRACES = {"bar", "scatter", "heatmap"}  # no geo or map trace, which would fetch tiles or topojson


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []  # (tag, url)
        self.links: list[str] = []
        self.figures: list[str] = []
        self.inline: list[str] = []  # inline scripts or styles: the CSP forbids them

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ASSET_ATTRIBUTES.get(tag, ()):
            if values.get(name):
                self.assets.append((tag, values[name]))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if "data-figure" in values:
            self.figures.append(values["data-figure"])
        if "style" in values:
            self.inline.append(f"style attribute on <{tag}>")
        if tag == "script" and not values.get("src"):
            self.inline.append("inline <script>")
        if tag == "style":
            self.inline.append("<style> element")


def is_external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return url.strip().startswith("//") or (
        bool(parts.scheme) and parts.scheme not in ("data", "mailto", "tel")
    )


def without_comments(text: str) -> str:
    """CSS or JS without /* */ comments and without lines that are // comments."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))


def url_shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(http: Any) -> dict[str, References]:
    """Every page of the app reachable by links from the client list, a few of each shape."""
    pages: dict[str, References] = {}
    seen_shapes: dict[str, int] = {}
    queue = deque(["/clients", "/account", "/projects"])
    while queue:
        path = queue.popleft()
        shape = url_shape(path)
        if path in pages or seen_shapes.get(shape, 0) >= MAX_PER_KIND:
            continue
        response = http.get(path)
        if response.status_code in (301, 302, 303) and not is_external(response.location):
            queue.append(urlsplit(response.location).path)
            continue
        assert response.status_code == 200, f"{path}: {response.status_code}"
        if response.mimetype != "text/html":
            response.close()
            continue
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        refs = References()
        refs.feed(response.get_data(as_text=True))
        pages[path] = refs
        for link in refs.links:
            target = urlsplit(urljoin(ORIGIN + path, link))
            internal = f"{target.scheme}://{target.netloc}" == ORIGIN
            if internal and not target.path.startswith(("/static/", "/api/", "/logout")):
                queue.append(target.path)
    return pages


def test_no_page_or_asset_of_the_demo_refers_to_another_host(app, client, make):
    make.standards()
    demo.create_demo()
    db.session.commit()
    evidence_links = set(db.session.execute(select(EvidenceItem.url)).scalars()) - {""}
    # Where a page sends the user to check an accreditation: IAF CertSearch, and a body's own register.
    websites = set(db.session.execute(select(CertificationBody.website)).scalars()) - {""}
    evidence_links |= {IAF_CERTSEARCH} | websites
    response = client.post("/login", data={"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302

    pages = crawl(client)
    shapes = {url_shape(path) for path in pages}
    expected = {
        "/clients", "/clients/N", "/sites/N", "/projects", "/projects/N", "/projects/N/gap-analysis",
        "/projects/N/requirements/N.N", "/projects/N/charts", "/projects/N/budget", "/account",
    }  # fmt: skip
    assert expected <= shapes, expected - shapes
    assert any(shape.startswith("/projects/N/stages/") for shape in shapes)

    assets: set[str] = set()
    for path, refs in pages.items():
        assert refs.inline == [], f"{path}: {refs.inline}"
        for tag, url in refs.assets:
            assert not is_external(url), f"{path}: <{tag}> loads {url}"
            if tag in ("script", "link", "img"):
                assets.add(urlsplit(url).path)
        outside = [url for url in refs.links if is_external(url) and url not in evidence_links]
        assert outside == [], f"{path} links out to {outside}"
        for raw in refs.figures:
            traces = {trace["type"] for trace in json.loads(unescape(raw))["data"]}
            assert traces <= DRAWN_TRACES, f"{path}: {traces}"
    assert PLOTLY in assets and "/static/js/charts.js" in assets and "/static/css/plotly.css" in assets

    for asset in sorted(assets - {PLOTLY}):
        with client.get(asset) as served:
            assert served.status_code == 200, asset
            text = without_comments(served.get_data(as_text=True))
        if asset.endswith(".css"):
            for value in re.findall(r"url\(\s*['\"]?([^'\")]*)", text):
                assert not is_external(value), f"{asset}: url({value})"
            assert "@import" not in text, asset
        elif asset.endswith(".js") and not asset.startswith("/static/vendor/"):
            assert not re.search(r"https?://|['\"]//\w", text), asset


def test_plotly_is_served_by_the_app(client):
    with client.get(PLOTLY) as response:
        assert response.status_code == 200, "run `make install`: it copies plotly.min.js into static/"
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert b"plotly.js v" in response.get_data()[:500]


def test_the_content_security_policy_names_no_other_host(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "http" not in policy and "*" not in policy
