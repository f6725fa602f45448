"""Every link the console shows, followed as each demo role: no page answers a server error,
and every page a link leads to is one of the console's own (or its static files)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from domain.approval_chains import Form
from services.handlers.case_decision import CaseDecisionHandlers
from tests.browser.conftest import sign_in
from tests.scenarios import (
    CaseSteps,
    disputed_referral,
    filed_office_case,
    issued_minutes,
    not_filed_transfer,
    person,
    reported_transfer,
    sent_assistance,
    sent_crime_transfer,
    sent_letter,
)

pytestmark = pytest.mark.browser
# One person of each role the demo district has, and a stranger from another district.
ROLES = (
    "wang-fang",  # officer
    "zhou-jun",  # unit head
    "qian-min",  # deputy director
    "zhao-qiang",  # director
    "sun-li",  # legal head
    "li-na",  # legal reviewer
    "zhu-xia",  # another department's liaison
    "lu-yu",  # another department's director
    "qin-song",  # public security's liaison
    "xu-ping",  # the procuratorate's supervisor
    "he-jing",  # the district government's supervisor
    "lin-feng",  # another district's bureau
)
LINK = re.compile(r'(?:href|src)="([^"#]+)"')
MOST_PAGES = 300


@pytest.fixture
def district(site):
    app = site.container.app
    noticed_case(app)
    disputed_referral(app)
    sent_assistance(app)
    issued_minutes(app, site.clock)
    sent_letter(app)
    reported_transfer(app)  # waiting for the head's decision
    sent_crime_transfer(app)
    not_filed_transfer(app)
    return site


def noticed_case(app):
    """A filed case with a form approved and a document issued and served."""
    case = filed_office_case(app).aggregate.id
    CaseSteps(app, case).approve(Form.MATTERS, "zhou-jun", "qian-min")
    penalty = {"kind": "fine", "amount_fen": 500000}
    CaseDecisionHandlers(app).issue_notice(person(app, "wang-fang"), case, penalty=penalty)
    CaseSteps(app, case).serve("notice")


def crawl(page, start: str) -> dict[str, int]:
    answered: dict[str, int] = {}
    waiting = [start]
    while waiting and len(answered) < MOST_PAGES:
        url = waiting.pop()
        if url in answered:
            continue
        response = page.context.request.get(url, max_redirects=0)
        answered[url] = response.status
        if "text/html" in response.headers.get("content-type", ""):
            for found in LINK.findall(response.text()):
                target = urljoin(url, found.replace("&amp;", "&"))
                assert urlparse(target).path.startswith("/console"), (url, found)
                waiting.append(urlparse(target)._replace(fragment="").geturl())
    return answered


@pytest.mark.parametrize("officer", ROLES)
def test_no_link_any_role_finds_leads_to_a_server_error(page, district, officer):
    sign_in(page, officer)
    answered = crawl(page, f"{district.base}/console/")
    failed = {url: status for url, status in answered.items() if status >= 500}
    assert not failed, failed
    assert len(answered) >= 10, answered  # the home page, each section, its static files
