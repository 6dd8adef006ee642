"""What a PDF's text copies as: each glyph as the text the font draws with it, wherever it was first drawn.

A PDF maps each glyph of a font to one text (its ToUnicode map), which readers use to copy, search, extract.
WeasyPrint 70 writes that map from the first place it draws each glyph: the text from the glyph's cluster to
the next glyph's, so in a cluster of several glyphs the last takes the whole text and the others none. Thai
SARA AM (ำ) is always shaped as two glyphs, NIKHAHIT and SARA AA (า): SARA AA took "ำ" (or "้ำ" under a tone
mark), the smaller tone mark drawn over NIKHAHIT took nothing, and the rest of the PDF copied with them, so
one น้ำ made นาน copy as น้ำน and ปั้น as ปัน.

:func:`install` wraps WeasyPrint's writing of the fonts: before it, a glyph whose text the font itself tells
(its character map, the substituted forms of such a glyph, the ligatures of them) copies as that text,
unless WeasyPrint's is the same in another form (NFKC alike: a ligature's "ffi"). One word no longer changes
how the rest copies. ำ copies as the two characters it is drawn with, ํา (what NFKC makes of ำ); under a tone
mark in the order drawn (น้ำ as น ํ ้ า). Tested in tests/unit/test_pdf_text.py; WeasyPrint is pinned below 71.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any
from unicodedata import normalize

from fontTools.ttLib import TTFont

NIKHAHIT = "\u0e4d"
TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


def glyph_texts(file_hash: str, content: bytes, index: int) -> Mapping[int, str]:
    """Glyph id -> the text it draws, from the font alone: a glyph its character map reaches from one
    character; a form its substitutions make of one such glyph (a narrower tone mark); a ligature of such
    glyphs (Thai NIKHAHIT with a tone mark). Read once per font per process, known by WeasyPrint's hash of its
    description (the file, which may be a 20 MB collection, is not hashed again)."""
    known = _TEXTS.get((file_hash, index))
    if known is None:
        known = _TEXTS[(file_hash, index)] = _read_texts(content, index)
    return known


_TEXTS: dict[tuple[str, int], Mapping[int, str]] = {}  # the system's fonts: a handful


def _read_texts(content: bytes, index: int) -> Mapping[int, str]:
    font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
    found: dict[str, set[str]] = {}
    for codepoint, name in font.getBestCmap().items():
        found.setdefault(name, set()).add(chr(codepoint))
    texts = {name: next(iter(chars)) for name, chars in found.items() if len(chars) == 1}
    singles, ligatures = _substitutions(font)
    for _ in range(2):  # a form of a form, or of a ligature (a narrower NIKHAHIT-and-tone)
        for made, sources in singles.items():
            if made not in texts and all(source in texts for source in sources):
                drawn = {texts[source] for source in sources}
                if len(drawn) == 1:  # every glyph it is made from draws the same text
                    texts[made] = drawn.pop()
        for made, parts in ligatures.items():
            if made not in texts and all(part in texts for part in parts):
                texts[made] = _logical("".join(texts[part] for part in parts))
    return {font.getGlyphID(name): text for name, text in texts.items()}


def _substitutions(font: TTFont) -> tuple[dict[str, set[str]], dict[str, tuple[str, ...]]]:
    """The font's single substitutions (made glyph -> its sources) and ligatures (made -> its parts)."""
    singles: dict[str, set[str]] = {}
    ligatures: dict[str, tuple[str, ...]] = {}
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return singles, ligatures
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 7 else table
            if table.LookupType == 1:
                for source, made in table.mapping.items():
                    singles.setdefault(made, set()).add(source)
            elif table.LookupType == 4:
                for first, sets in table.ligatures.items():
                    for ligature in sets:
                        ligatures.setdefault(ligature.LigGlyph, (first, *ligature.Component))
    return singles, ligatures


def _logical(text: str) -> str:
    """A ligature's text in the order it is typed: HarfBuzz moves the NIKHAHIT it splits from SARA AM before
    the tone marks over it (น้ำ is drawn น, NIKHAHIT with MAI THO, SARA AA), so it goes back after them."""
    if text.startswith(NIKHAHIT) and len(text) > 1 and set(text[1:]) <= TONE_MARKS:
        return text[1:] + NIKHAHIT
    return text


def context_free(to_unicode: dict[int, str], texts: Mapping[int, str]) -> None:
    """Each glyph the font says draws a text copies as it, whatever cluster it was first drawn in; unless
    what WeasyPrint took is the same text in another form (a ligature's "ffi" for ﬃ: NFKC alike)."""
    for glyph, taken in to_unicode.items():
        text = texts.get(glyph)
        if text is not None and normalize("NFKC", taken) != normalize("NFKC", text):
            to_unicode[glyph] = text


def _with_context_free_text(build: Callable[..., Any]) -> Callable[..., Any]:
    def build_fonts_dictionary(pdf: Any, fonts: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            if font.to_unicode and not font.bitmap:
                context_free(font.to_unicode, glyph_texts(font.hash, font.file_content, font.index))
        return build(pdf, fonts, *args, **kwargs)

    build_fonts_dictionary.wrapped = build  # type: ignore[attr-defined]
    return build_fonts_dictionary


def install() -> None:
    """Wrap WeasyPrint's ``build_fonts_dictionary`` where its PDF writer calls it (once per process)."""
    import weasyprint.pdf

    if not hasattr(weasyprint.pdf.build_fonts_dictionary, "wrapped"):
        weasyprint.pdf.build_fonts_dictionary = _with_context_free_text(weasyprint.pdf.build_fonts_dictionary)
