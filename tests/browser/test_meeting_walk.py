"""A joint meeting walked through the console: the deputy director convenes it and circulates
its materials, the detachment answers that it attends, the meeting is held, its minutes drafted,
approved by the director and issued, and the detachment acknowledges them and reports its
follow-up item done. Each page offers exactly the acts its person may take."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offered, sign_in, sign_out, take
from tests.support import SHANGHAI

pytestmark = pytest.mark.browser
MEETING = {
    "kind": "special_topic",
    "invitees": "tj-bh-zfzd",
    "topics": "危险化学品联合检查分工",
    "starts_at": "2026-11-27T09:00",
    "place.region": "120116",
    "place.address": "区应急局三楼会议室",
}
MINUTES = {
    "text": "会议明确了危险化学品联合检查的分工",
    "decisions.0.item": "1",
    "decisions.0.text": "执法支队牵头开展联合检查",
    "decisions.0.follow_up.task": "报送联合检查方案",
    "decisions.0.follow_up.agency": "tj-bh-zfzd",
    "decisions.0.follow_up.due": "2026-12-10",
}


def test_a_meeting_is_convened_held_and_its_minutes_issued_and_followed_up(page, site):
    sign_in(page, "qian-min")
    page.get_by_role("link", name="会议", exact=True).click()
    page.get_by_role("link", name="召集会议").click()
    take(page, "convene", **MEETING)
    expect(page).to_have_url(re.compile(r"/console/meetings/[0-9a-f-]{36}"))
    link = page.url.split("?")[0]
    assert "hold" not in offered(page)  # materials go out before the meeting
    take(page, "circulate", **{"materials.0.title": "联合检查工作方案（征求意见稿）"})
    expect(page.locator(".facts")).to_contain_text("已分发材料")
    sign_out(page)

    sign_in(page, "zheng-hua")  # the detachment finds the invitation among what needs it
    page.get_by_role("link", name=re.compile("待回复：危险化学品联合检查分工")).click()
    assert "answer" in offered(page)
    take(page, "answer", answer="attends", officers="zheng-hua")
    answers = page.locator("section", has=page.get_by_role("heading", name="参会回复"))
    expect(answers).to_contain_text("郑华")
    assert offered(page) == {"answer"}  # the answer may be changed until the meeting
    sign_out(page)

    site.clock.set(datetime(2026, 11, 27, 11, 0, tzinfo=SHANGHAI))
    sign_in(page, "qian-min")
    page.goto(link)
    present = {"attended.0.agency": "tj-bh-yjj", "attended.0.officers": "qian-min"}
    present |= {"attended.1.agency": "tj-bh-zfzd", "attended.1.officers": "zheng-hua"}
    take(page, "hold", **present)
    take(page, "draft_minutes", **MINUTES)
    expect(page.locator("main")).to_contain_text(MINUTES["text"])
    sign_out(page)

    sign_in(page, "zhao-qiang")  # the bureau's director approves its minutes
    page.goto(link)
    take(page, "approve_minutes")
    sign_out(page)
    sign_in(page, "qian-min")
    page.goto(link)
    take(page, "issue_minutes")
    expect(page.locator(".facts")).to_contain_text("纪要已印发")
    sign_out(page)

    sign_in(page, "zheng-hua")
    page.get_by_role("link", name=re.compile("待确认纪要：危险化学品联合检查分工")).click()
    take(page, "acknowledge")
    assert "report_follow_up" in offered(page)
    take(page, "report_follow_up", report="联合检查方案已报送")
    expect(page.locator("main")).to_contain_text("联合检查方案已报送")
    assert offered(page) == set()
