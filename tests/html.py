"""Read what a page shows next to a form field: its errors and the value kept in it."""

from __future__ import annotations

import re
from html import unescape
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
