"""The pages as assistive technology reads them, on a tablet's screen: a language, one main
heading, a name for every control and link, a skip link to the content, text in contrast with
its background (WCAG AA), no page wider than the screen; and the keyboard alone reaches the
content and takes an act."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.scenarios import disputed_referral, filed_office_case, issued_minutes, sent_referral

pytestmark = pytest.mark.browser
# What a page lacks, as the browser sees it once drawn.
AUDIT = """() => {
  const lacks = [];
  if (!document.documentElement.lang) lacks.push("a language");
  if (document.querySelectorAll("h1").length !== 1) lacks.push("one h1");
  if (!document.querySelector("a.skip[href='#main']")) lacks.push("a skip link");
  for (const c of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const named = c.labels && c.labels.length || c.getAttribute("aria-label");
    if (!named) lacks.push("a label for " + (c.name || c.id));
  }
  for (const e of document.querySelectorAll("a, button")) {
    const named = e.textContent.trim() || e.getAttribute("aria-label");
    if (!named) lacks.push("a name for " + e.outerHTML);
  }
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  if (new Set(ids).size !== ids.length) lacks.push("unique ids");
  if (document.documentElement.scrollWidth > window.innerWidth + 1) lacks.push("to fit the screen");
  for (const e of document.querySelectorAll("body *")) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.getClientRects().length) continue;
    const ratio = contrast(getComputedStyle(e).color, background(e));
    const text = e.textContent.trim().slice(0, 20);
    if (ratio < 4.5) lacks.push(`contrast ${ratio.toFixed(2)} for "${text}"`);
  }
  return lacks;
}"""
# WCAG 2.1's contrast ratio of a text's colour on the first opaque background behind it.
CONTRAST = """
function rgb(css) { return css.match(/[\\d.]+/g).map(Number); }
function background(e) {
  for (; e; e = e.parentElement) {
    const [r, g, b, a = 1] = rgb(getComputedStyle(e).backgroundColor);
    if (a > 0) return `rgb(${r}, ${g}, ${b})`;
  }
  return "rgb(255, 255, 255)";
}
function luminance(css) {
  const [r, g, b] = rgb(css).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(fg, bg) {
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
"""


def test_every_section_page_is_labelled_and_fits_a_tablet(page, site):
    app = site.container.app
    case = filed_office_case(app)
    referral, dispute = disputed_referral(app)
    meeting = issued_minutes(app, site.clock)
    sign_in(page, "qian-min")
    pages = [
        "/console/",
        "/console/cases",
        "/console/cases/new",
        f"/console/cases/{case.aggregate.id}",
        "/console/referrals",
        "/console/referrals/new",
        f"/console/referrals/{referral}",
        f"/console/disputes/{dispute}",
        "/console/meetings",
        "/console/meetings/new",
        f"/console/meetings/{meeting.aggregate.id}",
        "/console/crime-transfers",
        "/console/supervision/warnings",
        "/console/supervision/assessment",
    ]
    lacking = {}
    for url in pages:
        page.goto(url)
        found = page.evaluate(f"(() => {{ {CONTRAST}; return ({AUDIT})(); }})")
        if found:
            lacking[url] = found
    assert not lacking, lacking


def test_the_keyboard_alone_skips_to_the_content_and_takes_an_act(page, site):
    referral = sent_referral(site.container.app).aggregate.id
    sign_in(page, "zhu-xia")
    page.goto(f"/console/referrals/{referral}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip')"), "the first stop skips"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    before = page.url
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop == "panel":
            page.keyboard.press("Enter")  # opens the act's panel
        elif stop == "submit":
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail("no act's button is reached by the keyboard")
    page.wait_for_url(lambda url: url.split("#")[0] != before.split("#")[0])
    expect(page.locator(".facts")).to_contain_text("已签收")


MOST_TABS = 80
# Where the keyboard's focus is: the summary of the act's panel, the act's button, or elsewhere.
FOCUSED = """() => {
  const e = document.activeElement;
  const form = 'form[data-act="acknowledge"]';
  const panel = e.matches("details.act-panel > summary") && e.parentElement.querySelector(form);
  if (panel) return "panel";
  if (e.matches(form + ' button[type="submit"]')) return "submit";
  return "";
}"""
