"""Gap-free case numbers under concurrent filings, and racing acts on one case."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

from domain.approval import Places
from domain.case import Case
from domain.errors import DomainError
from tests.scenarios import case_acts, case_details, person

THREADS = 8
PER_THREAD = 100


def cases_awaiting_approval(app, count):
    """`count` office cases whose filing form awaits the deputy director, saved in batches."""
    officer, head = person(app, "wang-fang"), person(app, "zhou-jun")
    unit = app.directory.path("tj-bh-yjj-zfs")
    ids, batch = [], []
    for _ in range(count):
        at = app.clock()
        case = Case.register(
            case_id=uuid4(),
            actor=officer,
            unit=unit,
            details=case_details(),
            calendar=app.calendar(),
            at=at,
        )
        case.request_filing(actor=officer, places=Places(unit), at=at)
        case.review_filing(actor=head, approve=True, opinion="同意", at=at)
        ids.append(case.id)
        batch.append(case)
        if len(batch) == 100:
            app.save(*batch)
            batch = []
    app.save(*batch)
    return ids


def test_concurrent_filings_get_every_number_exactly_once(demo):
    app = demo.app
    ids = cases_awaiting_approval(app, THREADS * PER_THREAD)
    deputy = person(app, "qian-min")

    def file_all(chunk):
        return [
            case_acts(app)
            .approve_filing(deputy, case_id, approve=True, opinion="同意立案")
            .aggregate.number
            for case_id in chunk
        ]

    chunks = [ids[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        numbers = [n for part in pool.map(file_all, chunks) for n in part]

    expected = {f"津滨应急罚〔2026〕{n}号" for n in range(1, THREADS * PER_THREAD + 1)}
    assert len(numbers) == THREADS * PER_THREAD
    assert set(numbers) == expected
    stored = {app.repository.get(case_id).number for case_id in ids}
    assert stored == expected


class RacingClock:
    """Holds both racers after they have loaded the case, so both act on the same version."""

    def __init__(self, clock, parties):
        self.clock = clock
        self.barrier = threading.Barrier(parties, timeout=10)
        self.waited = threading.local()

    def __call__(self):
        if not getattr(self.waited, "done", False):
            self.waited.done = True
            self.barrier.wait()
        return self.clock()


def race(app, clock, act, parties=2):
    app.clock = RacingClock(clock, parties)
    outcomes = []

    def run():
        try:
            act()
            outcomes.append("won")
        except DomainError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=run) for _ in range(parties)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    app.clock = clock
    return sorted(outcomes)


def test_two_racing_acts_on_one_case_one_wins_the_other_conflicts(demo, clock):
    app = demo.app
    case_id = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    case_acts(app).request_filing(person(app, "wang-fang"), case_id)
    head = person(app, "zhou-jun")

    outcomes = race(
        app,
        clock,
        lambda: case_acts(app).review_filing(head, case_id, approve=True, opinion="同意"),
    )
    assert outcomes == ["concurrency.conflict", "won"]
    assert app.repository.get(case_id).version == 3


def test_two_racing_approvals_issue_one_number(demo, clock):
    app = demo.app
    [case_id] = cases_awaiting_approval(app, 1)
    deputy = person(app, "qian-min")

    outcomes = race(
        app,
        clock,
        lambda: case_acts(app).approve_filing(deputy, case_id, approve=True, opinion="同意立案"),
    )
    assert outcomes == ["concurrency.conflict", "won"]
    nxt = cases_awaiting_approval(app, 1)[0]
    assert case_acts(app).approve_filing(
        deputy, nxt, approve=True, opinion="同意"
    ).aggregate.number == ("津滨应急罚〔2026〕2号")


def test_a_conflict_is_reported_as_409(client, demo, clock):
    from tests.conftest import auth

    app = demo.app
    case_id = case_acts(app).register(person(app, "wang-fang"), case_details()).aggregate.id
    case_acts(app).request_filing(person(app, "wang-fang"), case_id)
    statuses = []

    def review():
        r = client.post(
            f"/v1/cases/{case_id}/review-filing",
            json={"approve": True, "opinion": "同意"},
            headers=auth("zhou-jun"),
        )
        statuses.append((r.status_code, r.json().get("code")))

    app.clock = RacingClock(clock, 2)
    threads = [threading.Thread(target=review) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    app.clock = clock
    assert sorted(statuses, key=str) == sorted(
        [(200, None), (409, "concurrency.conflict")], key=str
    )
