"""QR codes of a share link's page, as PNG (for documents and print) and SVG (scales for catalogs and
trade-show sheets), made with segno (pure Python)."""

from __future__ import annotations

import io

import segno

SCALE_PNG = 10  # pixels per module: a version 5 code is about 450 pixels wide
SCALE_SVG = 8
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def _code(url: str) -> segno.QRCode:
    # Error correction M (15 %): a printed code still scans with a small smudge.
    return segno.make_qr(url, error="m")


def png(url: str) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=SCALE_PNG, border=BORDER, dark="black", light="white")
    return out.getvalue()


def svg(url: str, title: str) -> bytes:
    out = io.BytesIO()
    _code(url).save(
        out,
        kind="svg",
        scale=SCALE_SVG,
        border=BORDER,
        dark="black",
        light="white",
        title=title,
        xmldecl=True,
    )
    return out.getvalue()
