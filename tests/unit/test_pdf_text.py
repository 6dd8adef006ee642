"""A PDF's text copies as it reads: a glyph's text comes from the font, not from where it was first drawn
(app/services/pdf_text.py). Read back with pypdf, as the report's tests do."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from unicodedata import normalize

import pytest
import weasyprint.pdf
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from app.services import pdf_text
from app.services.pdf import html_to_pdf


def copied(text: str) -> str:
    html = f'<html lang="th"><body style="font-family: Noto Sans Thai, Noto Sans"><p>{text}</p></body></html>'
    return PdfReader(io.BytesIO(html_to_pdf(html))).pages[0].extract_text().strip()


def same(a: str, b: str) -> bool:
    """Alike once spaces are left out (pypdf reads a gap beside a raised tone mark) and NFKC applied (ำ is the
    two characters it is drawn with, ํา)."""
    return normalize("NFKC", a.replace(" ", "")) == normalize("NFKC", b.replace(" ", ""))


def test_one_sara_am_no_longer_changes_how_the_rest_of_the_document_copies():
    # WeasyPrint gave SARA AA's glyph the text of its first cluster: with น้ำ first, นาน copied as น้ำน, and
    # the smaller tone mark drawn over NIKHAHIT as nothing, so ปั้น lost its tone mark too.
    text = copied("น้ำ นาน ปั้น จาก")
    words = text.split(" ")
    assert "นาน" in words and "จาก" in words
    assert "\u0e49" in text.split("นาน")[1], text  # ปั้น keeps its MAI THO
    assert text.replace(" ", "") == "น\u0e4d\u0e49\u0e32นานปั้นจาก"  # น้ำ in the order drawn (last test)


def test_sara_am_copies_as_the_characters_it_is_drawn_with():
    # จำกัด (Limited) ends most Thai company names: where า came first it copied as จากัด, another word.
    for first in ("จาก", "จำกัด"):
        text = copied(f"{first} บริษัท สยามพลาสติก จำกัด ทำ")
        assert same(text, f"{first} บริษัท สยามพลาสติก จำกัด ทำ"), text


def test_ligatures_and_vietnamese_keep_their_text():
    assert copied("office fi") == "office fi"  # not ﬃ: NFKC alike, WeasyPrint's own text is kept
    assert copied("Công ty TNHH Dệt May Sài Gòn") == "Công ty TNHH Dệt May Sài Gòn"


def test_a_tone_mark_over_sara_am_is_read_in_the_order_drawn():
    # The known limit (README, Reports): HarfBuzz draws NIKHAHIT before the tone mark, and one glyph has one
    # text wherever it stands, so น้ำ copies as น, ํ, ้, า: the same letters, not the order typed.
    assert copied("น้ำ") == "น\u0e4d\u0e49\u0e32"


def test_the_font_names_what_its_thai_glyphs_draw():
    fonts: list[dict[int, str]] = []
    build = weasyprint.pdf.build_fonts_dictionary

    def keep(pdf, found, *args, **kwargs):
        fonts.extend(
            pdf_text.glyph_texts(font.hash, font.file_content, font.index) for font in found.values()
        )
        return build.wrapped(pdf, found, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.pdf, "build_fonts_dictionary", pdf_text._with_context_free_text(keep))
        copied("น้ำ")
    drawn = set().union(*(texts.values() for texts in fonts))
    assert {"น", "\u0e4d", "\u0e49", "\u0e32"} <= drawn
    assert pdf_text._logical("\u0e4d\u0e49") == "\u0e49\u0e4d"  # a NIKHAHIT-and-tone ligature, as typed
    assert pdf_text._logical("fi") == "fi"


def test_installed_once():
    pdf_text.install()
    pdf_text.install()
    assert not hasattr(weasyprint.pdf.build_fonts_dictionary.wrapped, "wrapped")


def test_forms_and_ligatures_of_thai_glyphs_draw_their_letters():
    match = ["fc-match", "--format=%{file}|%{index}", "Noto Sans Thai"]  # the font the reports name
    path, index = subprocess.run(match, capture_output=True, text=True, check=True).stdout.split("|")
    font = TTFont(path)
    texts = pdf_text._read_texts(Path(path).read_bytes(), int(index))
    drawn = {name: texts.get(font.getGlyphID(name)) for name in font.getGlyphOrder()}
    assert drawn["uni0E49.small"] == drawn["uni0E49.narrow"] == "\u0e49"  # MAI THO, smaller or narrower
    assert drawn["uni0E0D.less"] == "ญ"  # YO YING without its tail, over a vowel below
    # NIKHAHIT with MAI THO as one glyph (and its narrower form) reads as typed: the tone mark, then NIKHAHIT
    assert drawn["nikhahit_maiThothai"] == drawn["nikhahit_maiThothai.narrow"] == "\u0e49\u0e4d"
