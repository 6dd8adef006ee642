"""Page arithmetic for list views (the query itself uses LIMIT/OFFSET in the service)."""

from __future__ import annotations

from dataclasses import dataclass


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything that is not a positive integer is page 1."""
    if raw and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return min(int(raw), 100_000)
    return 1


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages
