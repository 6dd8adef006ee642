"""Standards catalogs loaded from ``app/standards/*.yaml``; each version is kept beside the others."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.translated import TranslatedString, TranslatedText


class Standard(Base):
    __tablename__ = "standards"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    not_applicable_rule: Mapped[str] = mapped_column(String(20))
    not_applicable_note: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list[str]] = mapped_column(JSON)
    # The catalog's amendments, each {"id", "name", "published", "affects": [numbers], "summary"}.
    amendments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    loaded_at = mapped_column(DateTime(timezone=True), default=utcnow)

    clauses: Mapped[list[Clause]] = relationship(back_populates="standard", order_by="Clause.position")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.version})" if self.version not in self.name else self.name

    def amendments_to(self, number: str) -> list[dict[str, Any]]:
        """The amendments that change clause ``number``, in catalog order."""
        return [amendment for amendment in self.amendments if number in amendment.get("affects", ())]


class Clause(Base):
    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("standard_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    parent_number: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(4))
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(TranslatedString(200))  # shown in the reader's language
    # The standard gives this paragraph no title: ``title`` holds the app's own label, shown as "our label".
    title_is_label: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    is_requirement: Mapped[bool]
    is_leaf: Mapped[bool]
    summary: Mapped[str] = mapped_column(TranslatedText, default="")  # likewise
    documented_information: Mapped[str] = mapped_column(String(10))
    di_note: Mapped[str] = mapped_column(Text, default="")
    stage_hint: Mapped[str] = mapped_column(String(30))
    evidence_examples: Mapped[list[Any]] = mapped_column(JSON, default=list)
    may_be_not_applicable: Mapped[bool] = mapped_column(default=False)
    documented_procedure: Mapped[bool] = mapped_column(default=False)
    # Amendment and next-revision notes of the catalog ("" when it has none).
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")

    standard: Mapped[Standard] = relationship(back_populates="clauses")
