"""A case registered and filed through the console: the officer registers it and asks for
filing, the unit's head reviews it, the deputy director approves it, and the case has its
number. Each person is offered the signature only when the pending step is theirs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offered, sign_in, sign_out, take

pytestmark = pytest.mark.browser
CASE = {
    "source.kind": "inspection",
    "procedure": "general",
    "summary": "未按规定对从业人员进行安全生产教育和培训",
    "party.kind": "organisation",
    "party.name": "天津某化工有限公司",
    "place.region": "120116",
    "place.address": "中塘镇工业园区",
    "occurred_at": "2026-11-20T09:00",
}


def test_a_case_is_registered_and_filed_with_both_approvals(page, site):
    sign_in(page, "wang-fang")
    page.get_by_role("link", name="案件", exact=True).click()
    page.get_by_role("link", name="登记案件").click()
    take(page, "register_case", **CASE)
    expect(page).to_have_url(re.compile(r"/console/cases/[0-9a-f-]{36}"))
    link = page.url.split("?")[0]
    expect(page.locator(".facts")).to_contain_text("已登记")
    assert "request_filing" in offered(page)
    take(page, "request_filing")
    expect(page.locator(".facts")).to_contain_text("待审批")
    assert not {"review_filing", "approve_filing"} & offered(page)
    sign_out(page)

    sign_in(page, "qian-min")  # the deputy director signs second, not before the review
    page.goto(link)
    assert "approve_filing" not in offered(page)
    sign_out(page)

    sign_in(page, "zhou-jun")  # the unit's head finds it among what needs him
    page.get_by_role("link", name=re.compile("天津某化工有限公司")).click()
    assert offered(page) >= {"review_filing"}
    take(page, "review_filing", approve="true", opinion="同意")
    expect(page.locator(".steps")).to_contain_text("周军")
    sign_out(page)

    sign_in(page, "qian-min")
    page.goto(link)
    take(page, "approve_filing", approve="true", opinion="同意立案")
    expect(page.locator(".facts")).to_contain_text("已立案")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"津滨应急.*号"))

    # Another agency's matter found in the filed case: referred from it, the case filled in.
    sign_out(page)
    sign_in(page, "wang-fang")
    page.goto(link)
    page.get_by_role("link", name=re.compile("移送此案")).click()
    form = page.locator('form[data-act="draft_referral"]')
    expect(form.locator('[name="summary"]')).to_have_value(CASE["summary"])
    expect(form.locator('[name="place.address"]')).to_have_value(CASE["place.address"])
    expect(form.locator('[name="found_at"]')).to_have_value(CASE["occurred_at"])
    answers = {"kind": "jurisdiction", "to_agency": "tj-bh-scjg"}
    answers |= {"materials.0.kind": "referral_letter", "materials.0.title": "行政违法案件移送函"}
    take(page, "draft_referral", **answers)
    expect(page).to_have_url(re.compile(r"/console/referrals/[0-9a-f-]{36}"))
    page.get_by_role("link", name="查看案件").click()
    expect(page).to_have_url(re.compile(re.escape(link)))
