"""The pages as assistive technology reads them, on a tablet's screen: a language, one main
heading, a name for every control and link, a skip link to the content, and no page wider than
the screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.scenarios import disputed_referral, filed_office_case, issued_minutes

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
  return lacks;
}"""


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
        found = page.evaluate(AUDIT)
        if found:
            lacking[url] = found
    assert not lacking, lacking
