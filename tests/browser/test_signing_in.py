"""Signing in and out of the console: the demo's people in the embedded mode, an identity
provider's token otherwise, a session cookie the page's scripts cannot read, and a lapsed
session sent back to sign in."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from services.tokens import mint
from tests.browser.conftest import sign_in, sign_out
from tests.scenarios import filed_office_case

pytestmark = pytest.mark.browser
# Long enough to sign in on a busy machine before the token lapses.
LIFETIME_SECONDS = 10


def test_a_demo_officer_signs_in_with_one_click_and_out_again(page, site):
    page.goto("/console/cases")
    expect(page).to_have_url(re.compile(r"/console/signin$"))
    sign_in(page, "wang-fang")
    expect(page.locator(".who")).to_contain_text("王芳")
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    cookie = {c["name"]: c for c in page.context.cookies()}["liandong_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    assert page.evaluate("document.cookie") == ""
    sign_out(page)
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/signin$"))


def test_a_token_from_the_identity_provider_signs_in_and_a_forged_one_does_not(page, site):
    secret = site.container.settings.signing_secret()
    page.goto("/console/signin")
    page.fill(
        "#token",
        mint(
            "not-the-secret-but-long-enough-1234",
            officer="lu-yu",
            agency="tj-bh-scjg",
            roles=["director"],
        ),
    )
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".problem")).to_contain_text("令牌无效或已过期")
    page.goto("/console/signin")
    page.fill("#token", mint(secret, officer="lu-yu", agency="tj-bh-scjg", roles=["director"]))
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".who")).to_contain_text("鲁宇")


def test_a_session_whose_token_lapsed_is_sent_to_sign_in_again(page, site):
    secret = site.container.settings.signing_secret()
    lapses = time.time() + LIFETIME_SECONDS  # tokens lapse by the wall clock, as PyJWT reads it
    token = mint(
        secret,
        officer="wang-fang",
        agency="tj-bh-yjj-zfs",
        roles=["officer"],
        hours=LIFETIME_SECONDS / 3600,
    )
    page.goto("/console/signin")
    page.fill("#token", token)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".who")).to_be_visible()
    page.wait_for_timeout((lapses - time.time() + 1) * 1000)
    page.goto("/console/cases")
    expect(page).to_have_url(re.compile(r"/console/signin"))


def test_a_strangers_link_to_another_agencys_case_shows_not_found(page, site):
    case = filed_office_case(site.container.app)
    sign_in(page, "lin-feng")  # another district's bureau
    response = page.goto(f"/console/cases/{case.aggregate.id}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(case.aggregate.details["summary"])


def test_a_form_without_its_csrf_token_changes_nothing(page, site):
    sign_in(page, "wang-fang")
    page.goto("/console/cases/new")
    form = page.locator('form[data-act="register_case"]')
    form.evaluate("f => { f.noValidate = true; f.querySelector('[name=csrf]').value = 'forged' }")
    form.locator("button[type=submit]").click()
    expect(form.locator(".problem")).to_contain_text("表单已失效")
    page.goto("/console/cases")
    expect(page.locator("table.list tbody")).to_contain_text("没有事项")
