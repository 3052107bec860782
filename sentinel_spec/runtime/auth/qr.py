"""QR codes for otpauth URLs, as inline SVG (segno): no image files, no JavaScript."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 4) -> str:
    """An ``<svg>`` element encoding ``data`` (error correction M, quiet zone kept)."""
    code = segno.make(data, error="m", micro=False)
    # svg_inline: no XML declaration, so it can be placed in HTML as it is.
    return str(code.svg_inline(scale=scale, dark="#000", light="#fff"))
