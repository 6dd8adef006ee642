"""Read what a page shows next to a form field: its errors and the value kept in it."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any


def field_errors(response: Any, field_id: str) -> list[str]:
    """The messages shown beside one field (the render_field macro's error block)."""
    html = response.text
    block = re.search(rf'<div id="{field_id}-errors"[^>]*>(.*?)</div>\s*</div>', html, re.S)
    return [unescape(m) for m in re.findall(r"<div>(.*?)(?:</div>|$)", block.group(1), re.S)] if block else []


def input_value(response: Any, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', response.text)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else None


class _Forms(HTMLParser):
    """Every form of a page with the values a browser would submit (buttons left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None or "name" not in at:
            if tag == "option" and self._select is not None:
                self._option(at)
        elif tag == "input" and at.get("type") not in {"submit", "button", "file"}:
            if at.get("type") not in {"checkbox", "radio"} or "checked" in at:
                self._form[at["name"]] = at.get("value", "")
        elif tag == "select":
            self._select, self._first_option = at["name"], None
        elif tag == "textarea":
            self._textarea = at["name"]
            self._form[at["name"]] = ""

    def _option(self, at: dict[str, str]) -> None:
        assert self._form is not None and self._select is not None
        if self._first_option is None:
            self._first_option = at.get("value", "")
            self._form.setdefault(self._select, self._first_option)
        if "selected" in at:
            self._form[self._select] = at.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            text = self._form[self._textarea]
            # A browser drops the newline that starts a textarea's content.
            self._form[self._textarea] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._textarea = None


def form_values(response: Any, containing: str) -> dict[str, str]:
    """What the page's form holding a field named ``containing`` would submit, as a browser sends it."""
    parser = _Forms()
    parser.feed(response.text)
    found = [form for form in parser.forms if containing in form]
    assert len(found) == 1, f"{len(found)} forms with a field named {containing}"
    return found[0]
