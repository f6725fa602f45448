"""The yearly assessment report as a PDF (年度考核报告): an agency's duties with their on-time
shares, its warnings per month and, for a supervisor, the ranking of the agencies below it;
tables and charts drawn by ReportLab (its platypus layout and its graphics charts), in Chinese
with the CJK font the project's set-up installs (services/reports/fonts.py).

It renders the assessment's JSON answer (GET /v1/assessment) as it is: agency, period, duties
(title, due, on_time, share, weight), score, warnings (yellow, red, by_month) and, for a
supervisor's report, `below`: the agencies below it ranked (agency, score, rank).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.reports.fonts import cjk_font

Report = dict[str, Any]
WIDTH = A4[0] - 40 * mm
YELLOW, RED = colors.HexColor("#e0a800"), colors.HexColor("#c62828")


def render(report: Report) -> bytes:
    font = cjk_font()
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title(report),
        author="liandong 联动",
    )
    document.build(story(report, font))
    return out.getvalue()


def title(report: Report) -> str:
    return f"{report['agency']['name']} {report['period']['label']} 年度协作职责考核报告"


def story(report: Report, font: str) -> list[Any]:
    heading = ParagraphStyle("heading", fontName=font, fontSize=16, leading=22)
    section = ParagraphStyle("section", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    period = report["period"]
    parts: list[Any] = [
        Paragraph(title(report), heading),
        Paragraph(
            f"单位：{report['agency']['name']}（{report['agency']['code']}）　"
            f"考核期间：{period['from']} 至 {period['to']}　"
            f"综合得分：{_number(report.get('score'))}",
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph("一、各项职责按时完成情况", section),
        duties_table(report["duties"], font),
        Spacer(1, 3 * mm),
        shares_chart(report["duties"], font),
        Paragraph("二、预警情况（黄色预警、红色预警）", section),
        warnings_line(report.get("warnings") or {}, body),
        warnings_chart((report.get("warnings") or {}).get("by_month") or [], font),
    ]
    if report.get("below"):
        parts += [Paragraph("三、下级单位排名", section), ranking_table(report["below"], font)]
    return parts


def duties_table(duties: list[dict[str, Any]], font: str) -> Table:
    rows = [["职责", "应办", "按时", "按时率", "权重"]]
    rows += [
        [d["title"], str(d["due"]), str(d["on_time"]), _share(d["share"]), _number(d["weight"])]
        for d in duties
    ]
    return _table(rows, font, [WIDTH * 0.48, *[WIDTH * 0.13] * 4], numbers_from=1)


def ranking_table(below: list[dict[str, Any]], font: str) -> Table:
    rows = [["名次", "单位", "代码", "得分"]]
    rows += [
        [str(r["rank"]), r["agency"]["name"], r["agency"]["code"], _number(r["score"])]
        for r in below
    ]
    return _table(
        rows, font, [WIDTH * 0.12, WIDTH * 0.5, WIDTH * 0.22, WIDTH * 0.16], numbers_from=3
    )


def _table(rows: list[list[str]], font: str, widths: list[float], numbers_from: int) -> Table:
    """A table with a header row; the columns from `numbers_from` on hold figures."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (numbers_from, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def shares_chart(duties: list[dict[str, Any]], font: str) -> Drawing:
    """On-time share per duty (percent), duties with nothing due left out."""
    shown = [d for d in duties if d["share"] is not None]
    height = 30 + 16 * max(len(shown), 1)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = WIDTH * 0.42, 15, WIDTH * 0.55, height - 25
    chart.data = [[round(d["share"] * 100, 1) for d in shown] or [0]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.categoryAxis.categoryNames = [d["title"] for d in shown] or ["—"]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.bars[0].fillColor = colors.HexColor("#3f6fb5")
    drawing.add(chart)
    return drawing


def warnings_line(warnings: dict[str, Any], style: ParagraphStyle) -> Paragraph:
    return Paragraph(
        f"黄色预警 {warnings.get('yellow', 0)} 次，红色预警 {warnings.get('red', 0)} 次。", style
    )


def warnings_chart(by_month: list[dict[str, Any]], font: str) -> Drawing:
    drawing = Drawing(WIDTH, 150)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, WIDTH - 40, 110
    months = by_month or [{"month": "—", "yellow": 0, "red": 0}]
    chart.data = [[m["yellow"] for m in months], [m["red"] for m in months]]
    chart.categoryAxis.categoryNames = [m["month"][-2:] + "月" for m in months]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    most = max([1, *chart.data[0], *chart.data[1]])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, most
    chart.valueAxis.valueStep = max(1, -(-most // 5))  # whole warnings, at most 5 steps
    chart.bars[0].fillColor, chart.bars[1].fillColor = YELLOW, RED
    drawing.add(chart)
    return drawing


def _share(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
