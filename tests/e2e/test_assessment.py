"""The yearly assessment over HTTP: a scripted year of referrals and meetings whose figures
equal those counted by hand here; a half and a quarter split the year's items; the score
follows the district's weights; the items behind a figure; the CSV table; bad questions; and
who sees an agency's assessment (the one rule)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from services.api.main import create_app
from tests.conftest import auth
from tests.districts import at
from tests.e2e.http import assert_problem, head
from tests.scenarios import (
    convened_meeting,
    issued_minutes,
    person,
    referral_acts,
    referral_details,
    sent_referral,
)

# One store is enough: the figures are SQL on the views, the same on every store.
pytestmark = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


@pytest.fixture
def year(demo, clock):
    """2026 at the bureau (tj-bh-yjj), market regulation (scjg) and the detachment (zfzd):
    - March: a referral sent in time, acknowledged by scjg at once;
    - May: a consultation with scjg and zfzd: materials at the call, scjg attends, zfzd
      declines with a reason, held, minutes issued the same day;
    - August: a referral sent ten days after it was found (late), acknowledged two days on;
    - November: a consultation called and then left: no materials, no answers, no minutes.
    Then December 20th."""
    app = demo.app
    clock.set(at(2026, 3, 2, 10))
    on_time = sent_referral(app).aggregate.id
    referral_acts(app).acknowledge(person(app, "zhu-xia"), on_time)
    clock.set(at(2026, 5, 11, 10))
    issued_minutes(app, clock, declining=("tj-bh-zfzd",))
    clock.set(at(2026, 8, 3, 10))
    late = sent_referral(app, found_at=clock() - timedelta(days=10)).aggregate.id
    clock.advance(days=2)
    referral_acts(app).acknowledge(person(app, "zhu-xia"), late)
    clock.set(at(2026, 11, 2, 10))
    convened_meeting(app)
    clock.set(at(2026, 12, 20, 10))
    return demo


def assessed(client, officer, expect=200, **params):
    params.setdefault("period", "2026")
    params["min_position"] = head(client)
    response = client.get("/v1/assessment", params=params, headers=auth(officer))
    assert response.status_code == expect, response.text
    return response.json()


def figures(answer):
    return {d["duty"]: (d["due"], d["on_time"]) for d in answer["duties"] if d["due"]}


def test_a_years_figures_equal_those_counted_by_hand(client, year):
    bureau = assessed(client, "qian-min")
    assert bureau["agency"] == {"code": "tj-bh-yjj", "name": "滨海新区应急管理局"}
    assert bureau["period"] == {"label": "2026", "from": "2026-01-01", "to": "2026-12-31"}
    assert figures(bureau) == {
        "referral_sending": (2, 1),  # March in time, August late
        "meeting_materials": (2, 1),  # May at the call, November never
        "meeting_minutes": (2, 1),  # May the same day, November never
    }
    shares = {d["duty"]: d["share"] for d in bureau["duties"]}
    assert shares["referral_sending"] == 0.5 and shares["assistance"] is None
    # Weights 2, 1, 2 (the default), every share a half.
    assert bureau["score"] == 50.0 and bureau["weights"] == "default"
    assert bureau["warnings"]["red"] == 0  # no watcher passed this year
    assert len(bureau["warnings"]["by_month"]) == 12

    market = assessed(client, "lu-yu", agency="tj-bh-scjg")
    assert figures(market) == {
        "acknowledgement": (2, 1),  # March at once, August two days on
        "invitation": (2, 1),  # May answered, November not before the meeting
        "attendance": (1, 1),  # May present
    }
    # (2 × ½ + 1 × ½ + 1 × 1) / (2 + 1 + 1)
    assert market["score"] == 62.5
    detachment = assessed(client, "zheng-hua")
    assert figures(detachment) == {"invitation": (2, 1), "attendance": (1, 1)}  # excused


def test_the_warnings_an_agency_had_count_per_month_and_cost_it_the_configured_points(year, clock):
    """The watcher's first passes, in December: the November consultation's materials and
    minutes are past due (red at once), and a referral drafted on 1 December and left unsent
    turns yellow on the 4th, its last day, then red. All count for December, when they were
    raised; the district takes 5 points per red warning."""
    from services.warnings.watcher import Watcher

    app = year.app
    clock.set(at(2026, 12, 1, 10))
    referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    for moment in (at(2026, 12, 4, 12), at(2026, 12, 7, 12)):  # its last day; past it
        clock.set(moment)
        year.wait_for(app.head_position(), 10)
        Watcher(year).watch()
    clock.set(at(2026, 12, 20, 10))
    year.settings = year.settings.model_copy(update={"assessment_red_penalty": 5})
    with TestClient(create_app(year), raise_server_exceptions=False) as client:
        bureau = assessed(client, "qian-min")
    warned = bureau["warnings"]
    assert (warned["yellow"], warned["red"]) == (1, 3)
    december = next(m for m in warned["by_month"] if m["month"] == "2026-12")
    assert (december["yellow"], december["red"]) == (1, 3)
    november = next(m for m in warned["by_month"] if m["month"] == "2026-11")
    assert (november["yellow"], november["red"]) == (0, 0)
    # The unsent referral is a duty missed too: sending 1 of 3 on time, the rest a half as
    # counted by hand above: (2 × ⅓ + 1 × ½ + 2 × ½) / 5 = 43.3…, less 3 × 5 points.
    assert bureau["score"] == pytest.approx(100 * (2 / 3 + 0.5 + 1) / 5 - 15, abs=0.1)


def test_a_half_and_a_quarter_split_the_years_items(client, year):
    first = figures(assessed(client, "qian-min", period="2026H1"))
    assert first == {
        "referral_sending": (1, 1),
        "meeting_materials": (1, 1),
        "meeting_minutes": (1, 1),
    }
    assert figures(assessed(client, "qian-min", period="2026Q3")) == {"referral_sending": (1, 0)}
    fourth = figures(assessed(client, "qian-min", period="2026q4"))
    assert fourth == {"meeting_materials": (1, 0), "meeting_minutes": (1, 0)}
    assert figures(assessed(client, "qian-min", period="2026Q1")) == {"referral_sending": (1, 1)}


def test_the_score_follows_the_configured_weights(year, clock):
    weights = {"acknowledgement": 1, "attendance": 3}
    settings = year.settings.model_copy(update={"assessment_weights": weights})
    year.settings = settings
    with TestClient(create_app(year), raise_server_exceptions=False) as client:
        market = assessed(client, "lu-yu", agency="tj-bh-scjg")
    assert market["weights"] == "configured"
    # (1 × ½ + 3 × 1) / (1 + 3); the invitations weigh nothing now.
    assert market["score"] == 87.5
    weighed = {d["duty"]: d["weight"] for d in market["duties"]}
    assert weighed["invitation"] == 0 and weighed["attendance"] == 3


def test_every_figure_opens_on_its_items(client, year):
    params = {"period": "2026", "duty": "referral_sending", "limit": 1}
    params["min_position"] = head(client)
    page = client.get("/v1/assessment/items", params=params, headers=auth("qian-min")).json()
    assert [(i["kind"], i["limit"], i["on_time"]) for i in page["items"]] == [
        ("referral", "send", True)
    ]
    params["cursor"] = page["next_cursor"]
    rest = client.get("/v1/assessment/items", params=params, headers=auth("qian-min")).json()
    [late] = rest["items"]
    assert late["on_time"] is False and late["met_at"] > late["due_at"]
    params.update(duty="acknowledgement", agency="tj-bh-scjg", limit=50)
    params.pop("cursor")
    acks = client.get("/v1/assessment/items", params=params, headers=auth("zhu-xia")).json()
    assert [i["on_time"] for i in acks["items"]] == [True, False]


def test_the_table_for_excel_and_the_agencies_below_ranked(client, year):
    params = {"period": "2026", "min_position": head(client)}
    response = client.get(
        "/v1/assessment", params=params, headers={**auth("qian-min"), "Accept": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffagency,name,period,duty,title,due,on_time,share,weight\r\n")
    assert "tj-bh-yjj,滨海新区应急管理局,2026,referral_sending,按时移送案件,2,1,0.5,2.0" in text
    below = assessed(client, "qian-min", below="true")
    codes = [entry["agency"]["code"] for entry in below["below"]]
    assert "tj-bh-zfzd" in codes and "tj-bh-zt-dd" in codes and "tj-bh-yjj" not in codes
    assert below["below"][0]["rank"] == 1 and below["below"][0]["agency"]["code"] == "tj-bh-zfzd"
    table = client.get(
        "/v1/assessment",
        params=dict(params, below="true"),
        headers={**auth("qian-min"), "Accept": "text/csv"},
    ).content.decode("utf-8")
    assert len(table.splitlines()) == 1 + 12 * len(codes)


def test_bad_questions_are_problems(client, year):
    for period in ("2026Q5", "2026H3", "26", "1999"):
        response = client.get("/v1/assessment", params={"period": period}, headers=auth("qian-min"))
        assert_problem(response, 422, "assessment.period_invalid")
    response = client.get(
        "/v1/assessment",
        params={"period": "2026", "agency": "tj-nowhere"},
        headers=auth("qian-min"),
    )
    assert_problem(response, 404, "agency.not_found")
    response = client.get(
        "/v1/assessment/items", params={"period": "2026", "duty": "golf"}, headers=auth("qian-min")
    )
    assert response.status_code == 422
    response = client.get(
        "/v1/assessment", params={"period": "2026", "below": "true"}, headers=auth("wang-fang")
    )
    assert_problem(response, 403, "assessment.not_a_supervisor")


def test_the_agency_its_heads_and_the_supervisors_above_see_it_and_no_one_else(client, year):
    brigade = {"agency": "tj-bh-zt-dd"}
    for officer in ("jiang-hai", "chu-yan", "zheng-hua", "qian-min"):
        assert assessed(client, officer, **brigade)["agency"]["code"] == "tj-bh-zt-dd"
    for officer in ("shen-bo", "wang-fang", "zhu-xia"):  # a sibling, other agencies
        response = client.get(
            "/v1/assessment", params={"period": "2026", **brigade}, headers=auth(officer)
        )
        assert_problem(response, 404, "agency.not_found")
    response = client.get("/v1/assessment", params={"period": "2026"}, headers=auth("admin"))
    assert_problem(response, 403, "auth.not_a_party")
    items = {"period": "2026", "duty": "invitation", **brigade}
    response = client.get("/v1/assessment/items", params=items, headers=auth("shen-bo"))
    assert_problem(response, 404, "agency.not_found")


def test_the_report_as_a_pdf_has_the_agency_its_figures_and_the_units_below(client, year):
    import pypdfium2 as pdfium

    params = {"period": "2026", "below": "true", "min_position": head(client)}
    response = client.get("/v1/assessment/report.pdf", params=params, headers=auth("qian-min"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "assessment-2026-tj-bh-yjj.pdf" in response.headers["content-disposition"]
    document = pdfium.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "滨海新区应急管理局" in text and "2026" in text
    assert "按时移送案件" in text and "50.0%" in text  # referral sending: 1 of 2
    assert "综合得分：50" in text
    assert "下级单位排名" in text and "滨海新区应急管理综合行政执法支队" in text
    for refused, code, status in (
        ({"period": "2026Q5"}, "assessment.period_invalid", 422),
        ({"period": "2026", "agency": "tj-bh-scjg"}, "agency.not_found", 404),
    ):
        response = client.get("/v1/assessment/report.pdf", params=refused, headers=auth("qian-min"))
        assert_problem(response, status, code)
