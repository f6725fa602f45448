"""The CJK font reports are set in: WenQuanYi Zen Hei (文泉驿正黑), a TrueType collection the
project's set-up installs from Debian's packages (deploy/local/packages.sh, and the Dockerfile),
registered once with ReportLab, which embeds the glyphs a document uses."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

NAME = "WenQuanYiZenHei"
PLACES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)


class FontMissing(RuntimeError):
    """The CJK font is not installed."""


@cache
def cjk_font() -> str:
    """The registered font's name."""
    path = next((p for p in PLACES if p.exists()), None)
    if path is None:
        raise FontMissing(
            "the CJK font WenQuanYi Zen Hei is not installed:"
            " run `bash deploy/local/packages.sh ensure` (Debian package fonts-wqy-zenhei)"
        )
    pdfmetrics.registerFont(TTFont(NAME, str(path), subfontIndex=0))
    return NAME
