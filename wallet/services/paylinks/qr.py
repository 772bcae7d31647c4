"""The QR code of a payment link, drawn by segno (pure Python, no image library needed)."""

import io

import segno


def qr_png(url: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title=title or None
    )
    return out.getvalue().decode()
