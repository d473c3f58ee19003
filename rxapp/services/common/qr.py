"""QR codes of participant links, to show in person (R-INT-7)."""

import io

import segno

TARGET_PIXELS = 240  # the invite page shows the code at about this size
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def qr_svg(data: str) -> str:
    """Return a standalone SVG of a QR code for ``data``, sharp at about 240 px.

    The module size is a whole number of pixels, so every edge falls on a pixel.

    Args:
        data: Text to encode, typically the participant's link.

    Returns:
        An SVG document (no XML declaration), black on white.

    """
    code = segno.make(data, error="m", micro=False)
    modules, _ = code.symbol_size(scale=1, border=BORDER)
    scale = max(1, round(TARGET_PIXELS / modules))
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=BORDER, xmldecl=False, dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")
