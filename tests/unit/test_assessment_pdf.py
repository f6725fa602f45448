"""The assessment report as a PDF: it opens, carries the agency's name and the tables' figures
in its text, in Chinese, and its first page is drawn (a picture of it is kept in the test
output, tests/output/, and checked to be neither blank nor cut off)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from services.reports.assessment_pdf import render

OUTPUT = Path(__file__).parents[1] / "output"
REPORT = {
    "agency": {"code": "tj-bh-yjj", "name": "滨海新区应急管理局"},
    "period": {"label": "2026", "from": "2026-01-01", "to": "2026-12-31"},
    "duties": [
        {
            "duty": "referral_sent",
            "title": "案件按时移送",
            "due": 12,
            "on_time": 11,
            "share": 11 / 12,
            "weight": 20,
        },
        {
            "duty": "assistance_answered",
            "title": "协查按时答复",
            "due": 7,
            "on_time": 5,
            "share": 5 / 7,
            "weight": 15,
        },
        {
            "duty": "minutes_issued",
            "title": "会议纪要按时印发",
            "due": 0,
            "on_time": 0,
            "share": None,
            "weight": 10,
        },
    ],
    "warnings": {
        "yellow": 9,
        "red": 3,
        "by_month": [
            {"month": f"2026-{m:02d}", "yellow": m % 3, "red": m % 2} for m in range(1, 13)
        ],
    },
    "score": 84.6,
    "weights": "default",
    "below": [
        {
            "rank": 1,
            "agency": {"code": "tj-bh-zt-dd", "name": "中塘镇应急管理综合执法大队"},
            "score": 91.2,
        },
        {
            "rank": 2,
            "agency": {"code": "tj-bh-tp-dd", "name": "太平镇应急管理综合执法大队"},
            "score": 77.5,
        },
    ],
}


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_the_report_opens_and_says_the_agency_and_its_figures_in_chinese():
    pdf = render(REPORT)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "滨海新区应急管理局" in text and "年度协作职责考核报告" in text
    for words in (
        "案件按时移送",
        "91.7%",
        "协查按时答复",
        "71.4%",
        "84.6",
        "黄色预警 9 次",
        "红色预警 3 次",
    ):
        assert words in text, words
    assert "中塘镇应急管理综合执法大队" in text and "91.2" in text  # the ranking
    assert "会议纪要按时印发" in text and "—" in text  # nothing due: no share


def test_the_first_page_is_drawn_and_kept_as_a_picture():
    page = pdfium.PdfDocument(render(REPORT))[0]
    drawn = page.render(scale=1.5).to_pil()
    OUTPUT.mkdir(exist_ok=True)
    picture = OUTPUT / "assessment-report-page-1.png"
    drawn.save(picture)
    image = drawn.convert("L")
    width, height = image.size
    top = image.crop((0, 0, width, height // 8))  # the title's band
    assert top.getextrema()[0] < 80  # dark strokes: the title is drawn
    ink = sum(image.histogram()[:128]) / (width * height)
    assert 0.01 < ink < 0.5, ink  # neither blank nor a black page
    print(f"the report's first page: {picture}")


def test_a_report_of_an_agency_with_no_one_below_has_no_ranking():
    bare = {**REPORT, "below": None}
    text = text_of(render(bare))
    assert "下级单位排名" not in text and "滨海新区应急管理局" in text
