"""Accessibility checked by machine: axe-core runs on every page a browser journey lands on.

axe-core's script ships inside the ``axe-playwright-python`` package and is evaluated in the page by
Playwright (no network, and no ``<script>`` tag for the Content-Security-Policy to block).

Journeys do not call anything: ``install()`` (from tests/browser/conftest.py) wraps the Playwright calls
that can leave a page (``goto``, ``reload``, ``go_back``, clicks, key presses, closing a page or a
context), and before each of them checks the page being left, once per document. After the test body,
``check_open_pages()`` checks the pages still open. A serious or critical violation fails the test.

Once per run, not once per visit: a document of the same shape as one already checked (the same elements
with the same attributes, text where the other had text, whatever the words, numbers and form values) is
not checked again, nor a page of a kind a walker already checked. The marks are files in a directory all
the test processes share (``share_marks``), so two pytest-xdist workers do not check the same page twice.
Axe takes 0.3-0.5 s a page: it was a third of the browser tests' time (408 runs, 280 since).
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import BrowserContext, Locator, Page

FAILING_IMPACTS = {"serious", "critical"}
# A single rule on a single page (path regex -> rule ids), each with the reason it cannot be fixed yet.
# Never a blanket disable: a rule listed here is still checked on every other page.
EXCLUDED: dict[str, set[str]] = {}

_axe = Axe()
_pages: weakref.WeakSet[Page] = weakref.WeakSet()
_busy = False
_skipped: weakref.WeakSet[Page] = weakref.WeakSet()
# Pages that walk many pages of one kind (the phone walk of every demo page): each kind is checked once.
_walkers: weakref.WeakSet[Page] = weakref.WeakSet()
# What was checked in this run: a file per document shape or page kind, in a directory every test process
# shares (in-process only until ``share_marks`` names it).
_marks: Path | None = None
_claimed: set[str] = set()

# The document's shape, hashed in the page: every element with its attributes, and a mark where it holds
# text. Left out are the words, numbers, form values, nonces and links that differ between two visits of the
# same page. Kept whole: a link within the page (axe checks that a skip link's target exists) and the ids and
# the attributes that name them (axe checks that ids are unique and that labels point at something).
SHAPE = """async () => {
  const parts = [];
  const unread = new Set(['nonce', 'content', 'action', 'src']);
  const references = new Set(
    ['id', 'for', 'headers', 'aria-labelledby', 'aria-describedby', 'aria-controls']);
  const attributes = el => {
    for (const a of el.attributes) {
      if (a.name === 'href') parts.push(a.value.startsWith('#') ? 'href=' + a.value : 'href');
      else if (a.name === 'value') parts.push(a.value ? 'value' : 'value=');
      else if (unread.has(a.name)) parts.push(a.name);
      else if (references.has(a.name)) parts.push(a.name + '=' + a.value);
      else parts.push(a.name + '=' + a.value.replace(/[0-9]+/g, '#'));
    }
  };
  const walk = node => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.textContent.trim()) parts.push('T');
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        parts.push('<' + child.tagName);
        attributes(child);
        walk(child);
        parts.push('>');
      }
    }
  };
  attributes(document.documentElement);
  walk(document.documentElement);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join(' ')));
  return Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('');
}"""


class AccessibilityViolation(AssertionError):
    pass


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
        shown = ", ".join(targets[:3]) + (f" (+{len(targets) - 3} more)" if len(targets) > 3 else "")
        lines.append(f"  - {violation['id']} [{violation['impact']}] {violation['help']}: {shown}")
    return "\n".join(lines)


def check(page: Page) -> None:
    """Run axe on the current document of ``page`` (loaded, HTML): a serious or critical violation fails."""
    path = re.sub(r"^https?://[^/]+", "", page.url)
    excluded = set().union(*(rules for pattern, rules in EXCLUDED.items() if re.search(pattern, path)))
    response = _axe.run(page, options={"resultTypes": ["violations"]}).response
    page.evaluate("window.__axeChecked = true")
    failing = [
        violation
        for violation in response["violations"]
        if violation.get("impact") in FAILING_IMPACTS and violation["id"] not in excluded
    ]
    if failing:
        raise AccessibilityViolation(describe(page.url, failing))


def kind_of(url: str) -> str:
    """A page's kind: its path with every number a ``#`` ("/projects/#/equipment/#"), the query left out."""
    return re.sub(r"\d+", "#", re.sub(r"^https?://[^/]+", "", url).split("?")[0])


def share_marks(directory: Path) -> None:
    """Keep the marks of what was checked in ``directory``, shared by every test process of the run."""
    global _marks
    directory.mkdir(parents=True, exist_ok=True)
    _marks = directory


def _claim(key: str) -> bool:
    """True the first time anyone in the run asks for ``key``: the caller checks it."""
    if key in _claimed:
        return False
    _claimed.add(key)
    if _marks is None:
        return True
    try:  # created by exactly one process: the others find it there
        (_marks / hashlib.sha256(key.encode()).hexdigest()).open("x").close()
    except FileExistsError:
        return False
    return True


def check_once(page: Page) -> None:
    """Check the current document of ``page`` unless it was already checked, or one of its shape was (for a
    walker: unless a page of its kind was)."""
    global _busy
    if _busy or page.is_closed() or page in _skipped:
        return
    _busy = True
    try:
        if page.evaluate("window.__axeChecked === true"):
            return
        page.wait_for_load_state("load")
        if page.url.startswith("about:") or page.evaluate("document.contentType") != "text/html":
            return
        if page in _walkers:
            key = "kind " + kind_of(page.url)
        else:
            key = "shape " + kind_of(page.url) + " " + page.evaluate(SHAPE)
        if _claim(key):
            check(page)
        else:
            page.evaluate("window.__axeChecked = true")
    finally:
        _busy = False


def _page_of(target: Any) -> Page:
    return target.page if isinstance(target, Locator) else target


def _before(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        page = _page_of(self)
        _pages.add(page)
        check_once(page)
        return method(self, *args, **kwargs)

    return wrapper


def _before_context_close(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: BrowserContext, *args: Any, **kwargs: Any) -> Any:
        try:
            for page in self.pages:
                if page in _pages:
                    check_once(page)
        finally:
            method(self, *args, **kwargs)

    return wrapper


def install() -> None:
    """Wrap the Playwright calls that can leave a page (once per session)."""
    if getattr(Page.goto, "__wrapped__", None):
        return
    for name in ("goto", "reload", "go_back", "go_forward", "click", "dblclick", "press", "close"):
        setattr(Page, name, _before(getattr(Page, name)))
    for name in ("click", "dblclick", "press"):
        setattr(Locator, name, _before(getattr(Locator, name)))
    BrowserContext.close = _before_context_close(BrowserContext.close)  # type: ignore[method-assign]


def check_open_pages() -> None:
    """After a test: check every page it drove that is still open and not yet checked."""
    try:
        for page in list(_pages):
            check_once(page)
    finally:
        _pages.clear()


def forget_pages() -> None:
    """After a failed test: its pages are not checked again while pytest closes them."""
    _pages.clear()


def once_per_kind(page: Page) -> None:
    """Check each kind of page ``page`` visits once per run: a walk over every demo page meets the same
    template filled with another project's rows many times over (the journeys check every shape of page)."""
    _walkers.add(page)


def skip(page: Page) -> None:
    """Never check ``page`` (a context with JavaScript disabled, where axe cannot run)."""
    _skipped.add(page)
