"""Supervision in the console: a time limit's warning turns yellow then red as the clock
moves, on the home page of the agency that must meet it and on the supervisor's warnings;
the supervisor reads the assessment with its chart and downloads its report; the audit trail
of a resource shows each event proved to be in the signed log."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, sign_out
from tests.scenarios import (
    filed_office_case,
    person,
    referral_acts,
    referral_details,
    sent_referral,
)

pytestmark = pytest.mark.browser


def shown_after_reloads(page: Page, url: str, selector: str, text: str) -> None:
    """The views and the watcher follow the store on their own: read again until they have."""
    deadline = time.monotonic() + 15
    while True:
        page.goto(url)
        if text in page.locator(selector).inner_text():
            return
        assert time.monotonic() < deadline, f"{url} never showed {text!r} in {selector}"
        time.sleep(0.2)


def test_a_warning_turns_yellow_then_red_as_the_clock_passes_its_limit(page, site):
    app = site.container.app
    drafted = referral_acts(app).draft(person(app, "wang-fang"), referral_details(app))
    send = next(d for d in drafted.aggregate.deadlines.values() if d["name"] == "send")
    due = (
        datetime.fromisoformat(str(send["due_at"]))
        if isinstance(send["due_at"], str)
        else send["due_at"]
    )
    sign_in(page, "wang-fang")
    expect(page.locator("main")).not_to_contain_text("预警：移送时限")

    site.clock.set(due - timedelta(minutes=30))
    shown_after_reloads(page, "/console/", "main", "黄色预警：移送时限")
    site.clock.set(due + timedelta(hours=1))
    shown_after_reloads(page, "/console/", "main", "红色预警：移送时限")
    page.get_by_role("link", name="红色预警：移送时限（移送函）").click()
    expect(page.locator("tr.overdue")).to_contain_text("移送时限")
    sign_out(page)

    sign_in(page, "he-jing")  # the district government's supervisor sees it by agency
    page.goto("/console/supervision/warnings?colour=red&agency=tj-bh-yjj")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody")).to_contain_text("红色预警")


def test_a_supervisor_reads_the_assessment_and_downloads_its_report(page, site):
    sent_referral(site.container.app)  # the bureau's referral, sent within its time limit
    site.clock.advance(days=10)  # and its limit passed: a duty met, counted
    sign_in(page, "he-jing")
    page.get_by_role("link", name="监督").click()
    page.get_by_role("link", name="考核评估").click()
    ranking = page.get_by_role("table", name="下级单位排名")
    shown_after_reloads(page, page.url, "table:has(caption:text-is('下级单位排名'))", "100.0")
    ranking.get_by_role("link", name="滨海新区应急管理局", exact=True).click()  # the bureau's own
    on_time = page.get_by_role("row", name=re.compile("按时移送案件"))
    expect(on_time).to_contain_text("100")
    expect(page.locator("[data-score]")).to_be_visible()
    expect(page.locator("#duties-chart")).to_be_visible()
    drawn = page.evaluate("() => Chart.getChart('duties-chart').data.datasets[0].data")
    assert 100 in drawn, f"the chart library drew no bar of the referral sent on time: {drawn}"
    expect(page.get_by_role("table", name="下级单位排名")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载考核报告（PDF）").click()
    saved = download.value.path()
    assert saved is not None and saved.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith(".pdf")


def test_the_audit_trail_of_a_case_shows_each_event_proved_in_the_signed_log(page, site):
    case = filed_office_case(site.container.app)
    sign_in(page, "he-jing")
    url = f"/console/supervision/audit/case/{case.aggregate.id}"
    shown_after_reloads(page, url, ".proof", "以下每一条事件均已证明包含在签名的日志中")
    expect(page.locator("tbody tr")).to_have_count(case.aggregate.version)
    expect(page.locator("tbody")).not_to_contain_text("核验失败")
