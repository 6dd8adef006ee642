"""Take the README's screenshots: the demo data in a throwaway database, served locally, shot in Chromium.

Run with `make screenshots`. Needs Debian's chromium (see the README).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.services.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from app.services.standards import load_bundled_standards

OUT = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def build_app(tmp: Path):  # type: ignore[no-untyped-def]
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'shots.db'}", "EVIDENCE_DIR": str(tmp)})
    with app.app_context():
        upgrade()
        load_bundled_standards()
        create_demo()
        db.session.commit()
    return app


def project_url_of(page, base: str, link: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/projects")
    page.get_by_role("link", name=link).click()
    return str(page.url).rstrip("/")


def shoot_medical(page, base: str) -> None:  # type: ignore[no-untyped-def]
    """The infusion-set factory: audit programme, nonconformity register, management review, go / no-go."""
    url = project_url_of(page, base, "ISO 13485:2016 · Bayan Lepas infusion-set plant")
    for path, name in (("audits", "audits"), ("findings", "findings"), ("go-no-go", "go-no-go")):
        page.goto(f"{url}/{path}")
        page.screenshot(path=str(OUT / f"{name}.png"))
    page.goto(f"{url}/reviews")
    page.locator("#reviews a[href*='/reviews/']").first.click()
    page.screenshot(path=str(OUT / "review.png"))


def shoot_certified(page, browser, base: str) -> None:  # type: ignore[no-untyped-def]
    """The certified factory's certificate, and the page a buyer sees through a new share link."""
    page.goto(f"{base}/certificates")
    page.locator("[data-certificate-id] a").first.click()
    page.screenshot(path=str(OUT / "certificate.png"))
    page.goto(f"{base}/share-links")
    target = page.get_by_label("What to share")
    target.select_option(label=target.locator("option", has_text="(valid)").first.text_content())
    page.get_by_label("Who it is for").fill("Buyer: Nordic Retail AB")
    page.get_by_role("button", name="Create a share link").click()
    buyer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    buyer.goto(page.locator("#new-link-url").input_value())
    buyer.screenshot(path=str(OUT / "buyer-page.png"), full_page=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = make_server("127.0.0.1", 0, build_app(Path(tmp)), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/login")
            page.get_by_label("Email").fill(DEMO_EMAIL)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.goto(f"{base}/projects")
            page.screenshot(path=str(OUT / "projects.png"), full_page=True)
            page.get_by_role("link", name="ISO 9001:2015 · Binh Duong stopper plant").click()
            page.screenshot(path=str(OUT / "project.png"), full_page=True)
            page.get_by_role("link", name="Gap analysis").first.click()
            page.screenshot(path=str(OUT / "gap-analysis.png"))
            page.go_back()
            page.locator('#stage-list [data-stage="documentation"] a').click()
            page.screenshot(path=str(OUT / "stage.png"), full_page=True)
            project_url = page.url.split("/stages/")[0]
            page.goto(f"{project_url}/documents")
            page.screenshot(path=str(OUT / "documents.png"), full_page=True)
            page.goto(f"{project_url}/training-matrix")
            page.screenshot(path=str(OUT / "training-matrix.png"))
            page.goto(f"{project_url}/evidence")
            page.screenshot(path=str(OUT / "evidence.png"))
            page.goto(f"{project_url}/budget")
            page.screenshot(path=str(OUT / "budget.png"))
            page.goto(f"{project_url}/charts")
            page.screenshot(path=str(OUT / "charts.png"))
            page.goto(f"{project_url}/registers")
            page.screenshot(path=str(OUT / "registers.png"))
            page.goto(f"{project_url}/equipment")
            page.screenshot(path=str(OUT / "equipment.png"))
            page.goto(f"{project_url}/risks")
            page.screenshot(path=str(OUT / "risks.png"), full_page=True)
            page.goto(f"{base}/members")
            page.screenshot(path=str(OUT / "members.png"))
            shoot_medical(page, base)
            shoot_certified(page, browser, base)
            page.goto(f"{project_url}/stages/documentation")
            phone = browser.new_page(
                viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
            )
            phone.goto(project_url)
            phone.screenshot(path=str(OUT / "project-phone.png"))
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
