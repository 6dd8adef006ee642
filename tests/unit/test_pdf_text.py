"""A PDF's text copies as it reads: a glyph's text comes from the font, not from where it was first drawn,
and Thai SARA AM (ำ) copies as typed (app/services/pdf_text.py). Read back with pypdf, as the report's tests
do, and with PDFium, the engine of Chrome's PDF viewer."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydyf
import pypdfium2
import pytest
import weasyprint.draw.text
import weasyprint.pdf
import weasyprint.pdf.fonts
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.services import pdf_text
from app.services.pdf import html_to_pdf


def page(text: str) -> str:
    return f'<html lang="th"><body style="font-family: Noto Sans Thai, Noto Sans"><p>{text}</p></body></html>'


def copied(text: str) -> str:
    return PdfReader(io.BytesIO(html_to_pdf(page(text)))).pages[0].extract_text().strip()


def copied_in_chrome(text: str) -> str:
    """What Chrome's PDF viewer copies: PDFium reads a span's ActualText where there is one."""
    document = pypdfium2.PdfDocument(html_to_pdf(page(text)))
    return str(document[0].get_textpage().get_text_range()).strip()


SARA_AM_WORDS = "น้ำ ค่ำ ทำ จำกัด ซ้ำ ต่ำ ล้ำ ก๋ำ"  # with MAI THO, MAI EK, no tone mark, MAI CHATTAWA


def test_one_sara_am_no_longer_changes_how_the_rest_of_the_document_copies():
    # WeasyPrint gave SARA AA's glyph the text of its first cluster: with น้ำ first, นาน copied as น้ำน, and
    # the smaller tone mark drawn over NIKHAHIT as nothing, so ปั้น lost its tone mark too.
    text = copied("น้ำ นาน ปั้น จาก")
    assert text.split(" ")[:2] == ["น้ำ", "นาน"] and "จาก" in text.split(" ")
    assert text.replace(" ", "") == "น้ำนานปั้นจาก"  # pypdf reads a gap beside ปั้น's raised tone mark


def test_sara_am_copies_as_typed_whichever_word_comes_first():
    # จำกัด (Limited) ends most Thai company names: where า came first it copied as จากัด, another word.
    for first in ("จาก", "จำกัด", "น้ำ"):
        assert copied(f"{first} บริษัท น้ำตาลสยาม จำกัด ทำ") == f"{first} บริษัท น้ำตาลสยาม จำกัด ทำ"


def test_sara_am_under_each_tone_mark_copies_as_typed_in_pypdf_and_in_chrome():
    assert copied(SARA_AM_WORDS) == SARA_AM_WORDS  # the ToUnicode map
    assert copied_in_chrome(SARA_AM_WORDS) == SARA_AM_WORDS  # the ActualText spans
    # The rest of the line is left to WeasyPrint: ำ typed before its tone mark stays as typed.
    assert copied("นำ้ นาน") == "นำ้ นาน"


def test_ligatures_and_vietnamese_keep_their_text():
    assert copied("office fi") == "office fi"  # not ﬃ: NFKC alike, WeasyPrint's own text is kept
    assert copied("Công ty TNHH Dệt May Sài Gòn") == "Công ty TNHH Dệt May Sài Gòn"
    assert copied_in_chrome("Công ty TNHH Dệt May Sài Gòn office") == "Công ty TNHH Dệt May Sài Gòn office"


def glyph_of(font: Any) -> Callable[[int], int]:
    """How a Type 0 font turns a code into the glyph it draws: through its encoding (Identity-H, or a CMap
    of ``<code> cid`` pairs, as WeasyPrint writes for characters no font has), then its CIDToGIDMap."""
    encoding = font["/Encoding"]
    cids: dict[int, int] | None = None
    if encoding != "/Identity-H":
        pairs = re.findall(rb"<([0-9a-f]{4})> (\d+)", encoding.get_object().get_data())
        cids = {int(code, 16): int(cid) for code, cid in pairs}
    mapping = font["/DescendantFonts"][0].get_object().get("/CIDToGIDMap")
    table = None if mapping in (None, "/Identity") else mapping.get_object().get_data()

    def glyph(code: int) -> int:
        cid = code if cids is None else cids[code]
        return cid if table is None else int.from_bytes(table[2 * cid : 2 * cid + 2], "big")

    return glyph


def drawn(pdf: bytes) -> list[tuple[object, ...]]:
    """Every font change, rise, glyph and move of a PDF's first page, in order, as the glyphs its fonts draw
    (:func:`glyph_of`): moves between two glyphs summed, split text operators joined, marked content left
    out."""
    reader = PdfReader(io.BytesIO(pdf))
    content = reader.pages[0]
    fonts = content["/Resources"]["/Font"]
    out: list[tuple[object, ...]] = []
    glyph: Callable[[int], int] = int
    for operands, operator in ContentStream(content.get_contents(), reader).operations:
        if operator == b"Tf":
            out.append(("font", str(fonts[operands[0]]["/BaseFont"]), float(operands[1])))
            glyph = glyph_of(fonts[operands[0]])
        elif operator == b"Ts":
            out.append(("rise", float(operands[0])))
        elif operator == b"TJ":
            for part in operands[0]:
                if isinstance(part, (bytes, str)) or hasattr(part, "original_bytes"):
                    raw = part.original_bytes if hasattr(part, "original_bytes") else bytes(part, "latin-1")
                    out += [
                        ("glyph", glyph(int.from_bytes(raw[k : k + 2], "big"))) for k in range(0, len(raw), 2)
                    ]
                elif out and out[-1][0] == "move":
                    out[-1] = ("move", out[-1][1] + float(part))  # type: ignore[operator]
                else:
                    out.append(("move", float(part)))
        elif operator in (b"Tm", b"BT", b"ET"):
            out.append((operator.decode(), *map(float, operands)))
    return [item for item in out if item != ("move", 0.0)]


def weasyprint_alone(html: str) -> bytes:
    """The PDF WeasyPrint alone makes of ``html``, without this module's wrappers."""
    with pytest.MonkeyPatch.context() as patch:
        for module, name in (
            (weasyprint.pdf, "build_fonts_dictionary"),
            (weasyprint.pdf.fonts, "_build_vector_font_dictionary"),
            (weasyprint.draw.text, "draw_first_line"),
        ):
            patch.setattr(module, name, getattr(module, name).wrapped)
        return html_to_pdf(html)


def test_the_page_draws_the_same_glyphs_at_the_same_places_as_weasyprint_alone():
    html = page(f"{SARA_AM_WORDS} ปั้น office <b>{SARA_AM_WORDS}</b>")
    ours, alone = html_to_pdf(html), weasyprint_alone(html)

    def marked(pdf: bytes) -> bool:
        return b"/ActualText" in PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()

    assert marked(ours) and not marked(alone)
    assert drawn(ours) == drawn(alone)
    assert len([item for item in drawn(ours) if item[0] == "glyph"]) > 60


def test_a_character_no_font_draws_leaves_the_rest_of_its_font_readable():
    # WeasyPrint gives such a character a code of its own in an encoding CMap, which pypdf read as one byte
    # a code: the whole font's text came back as "\x00C\x00ô\x00n\x00g".
    for text in ("Công ty TNHH 👍 ✅ done", "บริษัท น้ำตาล ✅ จำกัด"):
        html = page(text)
        assert copied(text) == text
        assert copied_in_chrome(text) == text
        assert drawn(html_to_pdf(html)) == drawn(weasyprint_alone(html))  # ✅ still drawn as .notdef
        assert ("glyph", 0) in drawn(html_to_pdf(html))


def test_which_glyphs_of_a_sara_am_cluster_copy_as_what():
    tone, nikhahit, sara_aa = "\u0e48", "\u0e4d", "\u0e32"
    # ค่ำ drawn ค, NIKHAHIT, MAI EK, SARA AA: NIKHAHIT copies as the tone mark, the tone mark as nothing
    assert pdf_text.sara_am_glyphs("ค่ำ", ["ค", nikhahit, tone, sara_aa]) == {1: tone, 2: "", 3: "ำ"}
    assert pdf_text.sara_am_glyphs("ทำ", ["ท", nikhahit, sara_aa]) == {1: "", 2: "ำ"}
    # NIKHAHIT and the tone mark drawn as one glyph (read as typed: tone, then NIKHAHIT)
    assert pdf_text.sara_am_glyphs("ก๋ำ", ["ก", "\u0e4b" + nikhahit, sara_aa]) == {1: "\u0e4b", 2: "ำ"}
    # Anything else is left as WeasyPrint draws it
    assert pdf_text.sara_am_glyphs("นาน", ["น", sara_aa, "น"]) == {}
    assert pdf_text.sara_am_glyphs("ทำา", ["ท", nikhahit, sara_aa, sara_aa]) == {}  # another SARA AA typed
    assert pdf_text.sara_am_glyphs("ทํำ", ["ท", nikhahit, nikhahit, sara_aa]) == {}  # a NIKHAHIT typed
    assert pdf_text.sara_am_glyphs("ทำ", ["ท", "ำ"]) == {}  # a font drawing ำ as one glyph
    assert pdf_text.sara_am_glyphs("ค่่ำ", ["ค", nikhahit, tone, tone, sara_aa]) == {}  # two tone marks
    assert pdf_text.sara_am_glyphs("ก๋ำ", ["ก", "\u0e4b" + nikhahit, tone, sara_aa]) == {}


class Recorded(pydyf.Stream):
    _current_font = ("THAI", 16)


def test_a_span_reaching_over_a_raised_tone_mark_is_marked_whole():
    stream = Recorded()
    spans = pdf_text.ActualText(stream)
    spans.pending.extend(
        [pdf_text.Span("THAI", (0x8C, 0x8D, 0x8E), "\u0e48ำ"), pdf_text.Span("THAI", (0x91, 0x8E), "ำ")]
    )
    spans.show_text("<0047>0<008c>")  # WeasyPrint shows the line up to a raised glyph, then it alone
    stream.set_text_rise(-0.6)
    spans.show_text("<008d>")
    stream.set_text_rise(0)
    spans.show_text("<>-3<008e0006>0<0091>")
    spans.show_text("<008e>2.5<0047>")
    spans.close()
    written = b" ".join(pydyf._to_bytes(item) for item in stream.stream).decode()
    marked = "/Span <</ActualText <feff0e480e33>>> BDC"
    assert written == (
        f"[<0047>0] TJ {marked} [<008c>] TJ -0.6 Ts [<008d>] TJ 0 Ts [<>-3<008e>] TJ EMC [<0006>0] TJ "
        "/Span <</ActualText <feff0e33>>> BDC [<0091>] TJ [<008e>] TJ EMC [2.5<0047>] TJ"
    )
    assert not spans.open and not spans.pending


def test_the_codes_draw_the_font_glyphs_they_stand_for():
    pdf = html_to_pdf(page("น้ำ ทำ"))
    font = next(
        f
        for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
        if b"Thai" in bytes(str(f["/BaseFont"]), "ascii")
    )
    table = font["/DescendantFonts"][0].get_object()["/CIDToGIDMap"].get_object().get_data()
    to_unicode = font["/ToUnicode"].get_object().get_data().decode()
    match = ["fc-match", "--format=%{file}", "Noto Sans Thai"]
    thai = TTFont(subprocess.run(match, capture_output=True, text=True, check=True).stdout)
    sara_aa = thai.getGlyphID(thai.getBestCmap()[0x0E32])
    codes = [int(line[1:5], 16) for line in to_unicode.splitlines() if line.endswith("<0e33>")]
    assert codes and all(int.from_bytes(table[2 * c : 2 * c + 2], "big") == sara_aa for c in codes)
    assert all(int.from_bytes(table[2 * c : 2 * c + 2], "big") == c for c in range(1, sara_aa + 1))


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
