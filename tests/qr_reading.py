"""Reading the QR code the app serves: a small PNG reader (greyscale and palette PNGs, as segno writes
them) so that zxing-cpp can decode it without an imaging library."""

from __future__ import annotations

import struct
import zlib

import zxingcpp


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and one grey byte per pixel of a non-interlaced greyscale or palette PNG (what segno
    writes), so zxing-cpp can read it without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks[kind] = chunks.get(kind, b"") + data[position + 8 : position + 8 + length]
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert colour in (0, 3) and interlace == 0, (colour, interlace)
    palette = chunks.get(b"PLTE", b"")
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = (width * depth + 7) // 8
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - 1] if x else 0
            up, corner = previous[x], previous[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                best = min(
                    (abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner)
                )
                line[x] = (line[x] + best[2]) & 0xFF
        rows.append(line)
        previous = line
    grey = bytearray()
    top = (1 << depth) - 1
    for line in rows:
        for x in range(width):
            bit = x * depth
            value = (line[bit // 8] >> (8 - depth - bit % 8)) & top
            if colour == 3:
                red, green, blue = palette[3 * value : 3 * value + 3]
                grey.append((red + green + blue) // 3)
            else:
                grey.append(value * 255 // top)
    return width, height, bytes(grey)


def qr_text(png: bytes) -> str:
    """The text of the one QR code in ``png``."""
    width, height, grey = png_pixels(png)
    found = zxingcpp.read_barcodes(memoryview(grey).cast("B", (height, width)))
    assert len(found) == 1, found
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text
