"""A referral walked through the console by the people who take each step: drafted, approved,
sent, acknowledged, rejected with a reason and disputed; the dispute climbs from the parties'
negotiation to the legal department, which decides who must handle it, its ladder drawn with
the rung it stands on. Each page offers exactly the acts its person may take."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offered, sign_in, sign_out, take

pytestmark = pytest.mark.browser


def draft_referral(page) -> str:
    page.goto("/console/referrals/new")
    take(
        page,
        "draft_referral",
        **{
            "kind": "jurisdiction",
            "from_agency": "tj-bh-yjj",  # in the bureau's name
            "to_agency": "tj-bh-scjg",
            "summary": "无营业执照经营危险化学品",
            "found_at": "2026-11-23T09:00",
            "place.region": "120116",
            "place.address": "中塘镇工业园区",
            "materials.0.kind": "referral_letter",
            "materials.0.title": "行政违法案件移送函",
        },
    )
    expect(page).to_have_url(re.compile(r"/console/referrals/[0-9a-f-]{36}"))
    return page.url.split("?")[0]


def test_a_referral_is_refused_and_disputed_through_the_pages(page, site):
    sign_in(page, "wang-fang")
    link = draft_referral(page)
    expect(page.locator(".facts")).to_contain_text("草稿")
    for kind, title in (("source_material", "现场检查记录"), ("preliminary_evidence", "现场照片")):
        take(page, "attach_material", kind=kind, title=title)
    assert "approve" not in offered(page)  # an officer drafts; a head approves
    sign_out(page)

    sign_in(page, "qian-min")
    page.goto(link)
    take(page, "approve")
    sign_out(page)
    sign_in(page, "wang-fang")
    page.goto(link)
    take(page, "send")
    sign_out(page)

    sign_in(page, "zhu-xia")  # market regulation's liaison finds it on the home page
    page.get_by_role("link", name=re.compile("待签收：无营业执照经营危险化学品")).click()
    assert offered(page) == {"acknowledge"}
    take(page, "acknowledge")
    sign_out(page)

    sign_in(page, "lu-yu")
    page.goto(link)
    assert offered(page) == {"accept", "reject"}
    form = page.locator('form[data-act="reject"]')
    page.locator("details.act-panel", has=form).locator("summary").click()
    form.evaluate("f => f.noValidate = true")
    form.locator("button[type=submit]").click()  # no reason given: the API says why not
    expect(form.locator(".problem")).to_be_visible()
    take(page, "reject", reason="不属于本部门职责")
    expect(page.locator(".facts")).to_contain_text("不属于本部门职责")
    sign_out(page)

    sign_in(page, "qian-min")
    page.goto(link)
    take(page, "dispute", grounds="无证经营危险化学品属市场监管部门查处")
    page.get_by_role("link", name="查看争议").click()
    expect(page.locator(".ladder [aria-current=step]")).to_contain_text("双方协商")
    expect(page.locator(".ladder")).to_contain_text("法制部门协调")
    assert offered(page) == {"record_position", "escalate"}  # deciding waits for an agreement
    dispute = page.url.split("?")[0]
    sign_out(page)

    sign_in(page, "lu-yu")
    page.goto(dispute)
    take(page, "escalate", reason="双方协商不成")
    expect(page.locator(".ladder [aria-current=step]")).to_contain_text("法制部门协调")
    sign_out(page)

    sign_in(page, "sun-li")  # the legal department decides on its rung
    page.goto(dispute)
    assert "decide" in offered(page)
    take(page, "decide", handler="tj-bh-scjg", reasons="无证经营危险化学品属市场监管部门职责")
    facts = page.locator(".facts").first
    expect(facts).to_contain_text("已决定")
    expect(facts).to_contain_text("先予协同处置")
    decision = page.locator("section", has=page.get_by_role("heading", name="决定"))
    expect(decision).to_contain_text("承办单位滨海新区市场监督管理局")
    expect(decision).to_contain_text("决定层级法制部门协调")
