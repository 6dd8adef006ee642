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
how the rest copies.

SARA AM itself needs more. Its SARA AA glyph is plain า's, and HarfBuzz draws its NIKHAHIT before any tone
mark over it (น้ำ is drawn น, ํ, ้, า), so no one text per glyph reads น้ำ back. Where a line draws ำ:

- those glyphs are written under codes of their own, past the font's last glyph (as WeasyPrint writes a
  missing character's), which copy as ำ and the tone mark (:func:`sara_am_glyphs`); the font's CIDToGIDMap
  draws each code with its glyph, so the page draws exactly as before;
- the codes are marked as a span whose ActualText is the same text (:class:`ActualText`), for readers that
  would otherwise copy a glyph with no text of its own as a stray character (PDFium, Chrome's viewer).

น้ำ, ทำ and จำกัด copy as typed in pypdf, poppler and PDFium. A CFF font (OpenType "OTTO") has no CIDToGIDMap:
there ำ copies as ํา, as WeasyPrint alone writes it (the reports' Thai font, Noto Sans Thai, is TrueType).

A character no font draws (an emoji in a note) is drawn as .notdef under a code of its own. WeasyPrint wrote
an encoding CMap for it, which pypdf reads as one byte a code, so every line in that font read back as
"\\x00C\\x00ô\\x00n\\x00g"; the same CIDToGIDMap now sends the code to .notdef, and the font keeps Identity-H.

Tested in tests/unit/test_pdf_text.py; WeasyPrint is pinned below 71.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from unicodedata import normalize

import pydyf
from fontTools.ttLib import TTFont

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
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


def sara_am_glyphs(cluster: str, drawn: list[str | None]) -> dict[int, str]:
    """Which glyphs of a cluster drawing ำ copy as what, by their position in ``drawn`` (what the font says
    each glyph draws): SARA AA's as ำ; NIKHAHIT's as the tone mark over it (or as nothing, with no tone mark),
    that tone mark's own glyph as nothing; a NIKHAHIT-and-tone ligature's as its tone. Drawn ค, ํ, ่, า, the
    cluster copies as ค, ่, (nothing), ำ: ค่ำ, and readers that place characters by position (poppler) keep
    the word whole. Empty (leave the cluster as it is) unless the cluster is one ำ drawn so."""
    if cluster.count(SARA_AM) != 1 or SARA_AA in cluster or NIKHAHIT in cluster:
        return {}
    sara_aa = [i for i, text in enumerate(drawn) if text == SARA_AA]
    nikhahit = [i for i, text in enumerate(drawn) if text and text.endswith(NIKHAHIT)]
    tones = [i for i, text in enumerate(drawn) if text in TONE_MARKS]
    if len(sara_aa) != 1 or len(nikhahit) != 1 or len(tones) > 1:
        return {}
    over = (drawn[nikhahit[0]] or "").removesuffix(NIKHAHIT)  # a ligature's tone mark
    if over and tones:
        return {}
    copies = {sara_aa[0]: SARA_AM, nikhahit[0]: over}
    for tone in tones:
        copies[nikhahit[0]], copies[tone] = drawn[tone] or "", ""
    return copies


def _alias(font: Any, glyph: int, text: str, width: Callable[[int], int]) -> int:
    """The code under which ``font`` draws ``glyph`` and copies it as ``text``: a new one past its last glyph
    (and past any missing character's, which WeasyPrint numbers the same way), kept for the document."""
    aliases: dict[tuple[int, str], int] = font.__dict__.setdefault("copy_aliases", {})
    if (glyph, text) not in aliases:
        alias = aliases[(glyph, text)] = font.glyph_count + len(font.missing)
        font.glyph_count += 1  # the next missing character's code comes after it
        font.widths.setdefault(glyph, width(glyph))
        font.widths[alias] = font.widths[glyph]
        font.to_unicode[alias] = text
        font.to_unicode.setdefault(
            glyph, glyph_texts(font.hash, font.file_content, font.index).get(glyph, "")
        )
    return aliases[(glyph, text)]


@dataclass(frozen=True)
class Span:
    """The codes a line draws in a row, in one font, for one ำ (and a tone mark over it), and their text."""

    font: str  # WeasyPrint's hash of the font, as its text operators name it
    codes: tuple[int, ...]
    text: str


def copy_sara_am_as_typed(stream: Any, textbox: Any, line: Any) -> list[Span]:
    """Give the glyphs each ำ of ``line`` (a Pango layout line about to be drawn) is drawn with codes that
    copy as ำ, and return where they are drawn, in order; see the module's description."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    spans: list[Span] = []
    utf8 = textbox.pango_layout.text.encode()
    run = line.runs
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        run = run.next
        segment = utf8[item.offset : item.offset + item.length]
        if SARA_AM.encode() not in segment or item.analysis.level % 2:
            continue
        font, font_size = stream.add_font(item.analysis.font)
        if font.bitmap or font.type == "otf":
            continue
        if pango.pango_version() < 14802 or font.png:  # as WeasyPrint's draw_first_line measures glyphs
            font_size = textbox.style["font_size"]

        def width(glyph: int, pango_font: Any = item.analysis.font, size: float = font_size) -> int:
            pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
            return round(stream.logical_rect.width * 1000 * FROM_UNITS / size)

        texts = glyph_texts(font.hash, font.file_content, font.index)
        clusters = [  # (the cluster's first byte in the segment, its glyphs' positions), as drawn
            (start, list(positions))
            for start, positions in groupby(range(glyphs.num_glyphs), key=lambda i: glyphs.log_clusters[i])
        ]
        ends = [start for start, _ in clusters[1:]] + [item.length]
        for (start, positions), end in zip(clusters, ends, strict=True):
            cluster = segment[start:end]
            if SARA_AM.encode() not in cluster:
                continue
            drawn = [texts.get(glyphs.glyphs[i].glyph) for i in positions]
            copies = sara_am_glyphs(cluster.decode(), drawn)
            if copies and max(copies) - min(copies) + 1 == len(copies):  # drawn in a row
                codes = []
                for i in sorted(copies):
                    info = glyphs.glyphs[positions[i]]
                    info.glyph = _alias(font, info.glyph, copies[i], width)
                    codes.append(info.glyph)
                spans.append(Span(font.hash, tuple(codes), "".join(copies[i] for i in sorted(copies))))
    return spans


class ActualText:
    """Writes a line's text operators as WeasyPrint gives them, with each :class:`Span`'s codes in a marked
    content sequence whose ActualText is what they read as (ISO 32000, 14.9.4). Readers that honour it
    (poppler, PDFium, Acrobat) copy the ำ from it; readers that do not (pypdf, pdfminer) read the codes'
    ToUnicode texts, which say the same. A span may reach over several ``show_text`` calls (WeasyPrint raises
    a tone mark with its own)."""

    HEX = re.compile(r"<([0-9a-fA-F]*)>|[^<]+")

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.pending: deque[Span] = deque()
        self.open: deque[int] = deque()  # codes of the open span still to be drawn

    def show_text(self, string: str) -> None:
        if not (self.pending or self.open):
            type(self.stream).show_text(self.stream, string)
            return
        font = (self.stream._current_font or (None,))[0]
        parts: list[str] = []
        for match in self.HEX.finditer(string):
            codes = match.group(1)
            if not codes:  # a number (a glyph's adjustment), or WeasyPrint's empty <> between two numbers
                parts.append(match.group(0))
                continue
            group: list[str] = []
            for k in range(0, len(codes), 4):
                code = codes[k : k + 4]
                span = self.pending[0] if self.pending and not self.open else None
                if span is not None and span.font == font and int(code, 16) == span.codes[0]:
                    self._show(parts, group)
                    self.pending.popleft()
                    marked = pydyf.Dictionary({"ActualText": pydyf.String(span.text)})
                    self.stream.begin_marked_content("Span", marked)
                    self.open.extend(span.codes)
                group.append(code)
                if self.open and int(code, 16) == self.open[0]:
                    self.open.popleft()
                    if not self.open:
                        self._show(parts, group)
                        self.stream.end_marked_content()
            if group:
                parts.append(f"<{''.join(group)}>")
        self._show(parts, [])

    def _show(self, parts: list[str], group: list[str]) -> None:
        if group:
            parts.append(f"<{''.join(group)}>")
            group.clear()
        if parts:
            type(self.stream).show_text(self.stream, "".join(parts))
            parts.clear()

    def close(self) -> None:
        """End a span left open (none is, when every code drawn was written)."""
        if self.open:
            self.stream.end_marked_content()
            self.open.clear()


def _with_sara_am_as_typed(draw: Callable[..., Any]) -> Callable[..., Any]:
    """WeasyPrint's ``draw_first_line``, with each ำ in the line it draws copying as typed. The line is taken
    where WeasyPrint takes it (its layout's ``get_first_line``), after any ellipsis is laid out, and its text
    operators pass through :class:`ActualText`."""

    def draw_first_line(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        layout = textbox.pango_layout
        if SARA_AM not in textbox.text:
            return draw(stream, textbox, *args, **kwargs)
        actual = ActualText(stream)

        def get_first_line() -> Any:
            line, index = type(layout).get_first_line(layout)
            actual.pending = deque(copy_sara_am_as_typed(stream, textbox, line))
            return line, index

        layout.get_first_line, stream.show_text = get_first_line, actual.show_text
        try:
            return draw(stream, textbox, *args, **kwargs)
        finally:
            actual.close()
            del layout.get_first_line, stream.show_text

    draw_first_line.wrapped = draw  # type: ignore[attr-defined]
    return draw_first_line


def _with_codes_drawn(build: Callable[..., Any]) -> Callable[..., Any]:
    """WeasyPrint's ``_build_vector_font_dictionary``, with a CIDToGIDMap for a TrueType font that draws a
    code of its own: an alias (:func:`_alias`) as its glyph, a missing character's as .notdef (glyph 0,
    whose outline WeasyPrint's subset keeps), every other code as the glyph it names.

    For missing characters WeasyPrint wrote an encoding CMap of its own instead, and pypdf reads a font with
    such a CMap as one byte a code: one character no font draws (an emoji in a finding's note) made every
    line in that font read back as "\\x00C\\x00ô\\x00n\\x00g". With the map, the font keeps the
    Identity-H encoding every reader knows. A CFF font has no CIDToGIDMap; it keeps WeasyPrint's CMap."""

    def build_vector_font_dictionary(
        font_dictionary: Any, pdf: Any, font: Any, widths: Any, compress: bool, *args: Any
    ) -> Any:
        built = build(font_dictionary, pdf, font, widths, compress, *args)
        aliases: dict[tuple[int, str], int] = font.__dict__.get("copy_aliases", {})
        if font.type == "otf" or not (aliases or font.missing):
            return built
        glyphs = list(range(max([*aliases.values(), *font.missing.values()]) + 1))
        for (glyph, _), alias in aliases.items():
            glyphs[alias] = glyph
        for code in font.missing.values():
            glyphs[code] = 0
        mapping = pydyf.Stream([b"".join(glyph.to_bytes(2, "big") for glyph in glyphs)], compress=compress)
        pdf.add_object(mapping)
        pdf.objects[_number(font_dictionary["DescendantFonts"][0])]["CIDToGIDMap"] = mapping.reference
        if font.missing:  # WeasyPrint's CMap stays in the file, read by nothing
            font_dictionary["Encoding"] = "/Identity-H"
        return built

    build_vector_font_dictionary.wrapped = build  # type: ignore[attr-defined]
    return build_vector_font_dictionary


def _number(reference: bytes) -> int:
    """The object number of a pydyf reference (``b"12 0 R"``)."""
    return int(reference.split()[0])


def install() -> None:
    """Wrap WeasyPrint's ``build_fonts_dictionary``, ``_build_vector_font_dictionary`` and
    ``draw_first_line`` where it calls them (once per process)."""
    import weasyprint.draw.text
    import weasyprint.pdf
    import weasyprint.pdf.fonts

    if not hasattr(weasyprint.pdf.build_fonts_dictionary, "wrapped"):
        weasyprint.pdf.build_fonts_dictionary = _with_context_free_text(weasyprint.pdf.build_fonts_dictionary)
    fonts = weasyprint.pdf.fonts
    if not hasattr(fonts._build_vector_font_dictionary, "wrapped"):
        fonts._build_vector_font_dictionary = _with_codes_drawn(fonts._build_vector_font_dictionary)
    text = weasyprint.draw.text
    if not hasattr(text.draw_first_line, "wrapped"):
        text.draw_first_line = _with_sara_am_as_typed(text.draw_first_line)
