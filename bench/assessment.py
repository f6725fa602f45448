"""The yearly assessment on PostgreSQL: a supervisor's table of every agency below it, and one
agency's figures, over a year of 100,000 items.

Set-up (timed apart, not measured): a database made for the run and dropped afterwards; the
district of bench.district (200 agencies with an officer each); the rows the assessment reads
written straight into the views' tables, as the views would hold them after last year's work:
100,000 items due last year among the agencies — referrals sent (their sending limits and the
receivers' acknowledgements), assistance answers, rejections settled by a dispute's decision,
meetings (materials, minutes, each invitee's answer and attendance), case decisions,
re-inspections and record filings, crime-transfer steps — a fifth of them met late or never;
then the tables vacuumed and analysed.

Measured: `liandong serve` on that database, one uvicorn worker in a process of its own; one
keep-alive client sends, one after another after a warm-up, 500 each of: GET /v1/assessment
?period=<last year>&below=true as the district government's head (the 199 agencies below it,
ranked), the same for one agency (the district bureau), and GET /v1/agencies/{code}, a
primary-key GET through the same stack, as the baseline. Beside them: the assessment's SQL with
bare psycopg on one connection, and the figures computed in this process (no HTTP).

Goal: the assessment's p95 latency is at most 200 ms, for the table below the supervisor and
for one agency.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from contextlib import nullcontext
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from bench.district import BUSY, register_district, token, vacuum
from bench.http import free_port
from bench.reading import (
    bench_stack,
    described_server,
    each_timed,
    get,
    http_lines,
    in_view,
    line,
    p95_verdicts,
    ratio_line,
    replay,
    server,
    statements_of,
    warmed,
)
from domain.calendar import SHANGHAI
from projections.assessment import figures
from projections.assessment_period import parse_period
from projections.cases import CaseView
from projections.crime_transfer_log import CrimeTransferLog
from projections.deadlines import utc_key
from projections.meeting_tracker import MeetingTracker
from projections.referrals import ReferralView
from services.bootstrap import Container

DATABASE = "liandong_bench_assessment"
GOAL_P95_MS = 200.0
SUPERVISOR = "bench-qzf"  # the district government: every other agency is below it
SEED = 20261231
LATE, NEVER = 0.15, 0.05  # items met late; items never met (past due, still open)
# How many of the 100,000 items each source holds.
REFERRALS = 25_000  # a sending limit and an acknowledgement each: 50,000 items
ASSISTANCE = 5_000  # referrals answered by the agency asked (counted with the above)
MEETINGS = 3_000  # materials and minutes each, and 4 invitees answering and attending: 18,000
CASES = 12_000  # a decision limit each, a third with a re-inspection, a third a record filing
TRANSFERS = 2_000  # three steps each: 6,000

BELOW = f"GET /v1/assessment?below=true ({SUPERVISOR})"
ONE = f"GET /v1/assessment ({BUSY})"
BY_KEY = "GET /v1/agencies/{code}"


class Filler:
    """Rows for the views' tables, drawn from one seed, within last year."""

    def __init__(self, agencies: list[str], year: int) -> None:
        self.rng = random.Random(SEED)
        self.agencies = agencies
        self.start = datetime(year, 1, 1, tzinfo=SHANGHAI)
        self.position = 0
        self.items: Counter[str] = Counter()

    def moment(self) -> datetime:
        return self.start + timedelta(seconds=self.rng.randint(0, 364 * 86_400))

    def met(self, due: datetime) -> str | None:
        """When an item was met: on time mostly, late or never for some."""
        roll = self.rng.random()
        if roll < NEVER:
            return None
        hours = self.rng.uniform(1, 72) if roll < NEVER + LATE else -self.rng.uniform(1, 72)
        return (due + timedelta(hours=hours)).isoformat()

    def next_position(self) -> int:
        self.position += 1
        return self.position

    def deadline(self, owner: str, name: str, party: str, due: datetime) -> dict[str, object]:
        met_at = self.met(due)
        self.items[name.split(":")[0]] += 1
        return {
            "owner": owner,
            "name": name,
            "rule": "working_days:3",
            "start": (due - timedelta(days=3)).isoformat(),
            "start_key": utc_key(due - timedelta(days=3)),
            "due_at": due.isoformat(),
            "due_key": utc_key(due),
            "met_at": met_at,
            "party": party,
            "met_key": utc_key(met_at) if met_at else None,
        }


DEADLINE_ROW = (
    "INSERT INTO {t} ({owner}, name, rule, start, start_key, due_at, due_key, provisional,"
    " met_at, party, met_key) VALUES (%(owner)s, %(name)s, %(rule)s, %(start)s, %(start_key)s,"
    " %(due_at)s, %(due_key)s, false, %(met_at)s, %(party)s, %(met_key)s)"
)


def fill_referrals(conn: psycopg.Connection, fill: Filler, container: Container) -> None:
    table = container.view(ReferralView).table
    documents, deadlines = [], []
    for n in range(REFERRALS + ASSISTANCE):
        sender, receiver = fill.rng.sample(fill.agencies, 2)
        rid, due = str(uuid.uuid4()), fill.moment()
        assistance = n >= REFERRALS
        ack = fill.met(due + timedelta(hours=24))
        refused = not assistance and n % 25 == 0  # 1,000 rejections settled by a decision
        documents.append(
            {
                "id": rid,
                "kind": "assistance" if assistance else "jurisdiction",
                "from_agency": sender,
                "to_agency": receiver,
                "created_position": fill.next_position(),
                "ack_due_key": None if assistance else utc_key(due + timedelta(hours=24)),
                "ack_key": None if assistance or ack is None else utc_key(ack),
                "rejected_by": receiver if refused else None,
                "settled_key": utc_key(due + timedelta(days=20)) if refused else None,
                "settled_against": int(fill.rng.random() < 0.5) if refused else None,
            }
        )
        name, party = ("answer", receiver) if assistance else ("send", sender)
        deadlines.append(fill.deadline(rid, name, party, due))
    fill.items["acknowledge"] += REFERRALS
    fill.items["refusal"] += REFERRALS // 25
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table['referrals']} (id, kind, status, from_agency, to_agency,"
            " created_position, ack_due_key, ack_key, rejected_by, settled_key, settled_against,"
            " version, position, doc) VALUES (%(id)s, %(kind)s, 'sent', %(from_agency)s,"
            " %(to_agency)s, %(created_position)s, %(ack_due_key)s, %(ack_key)s,"
            " %(rejected_by)s, %(settled_key)s, %(settled_against)s, 3, %(created_position)s,"
            " '{}')",
            documents,
        )
        statement = DEADLINE_ROW.format(t=table["deadlines"], owner="referral_id")
        cursor.executemany(statement, deadlines)


def fill_meetings(conn: psycopg.Connection, fill: Filler, container: Container) -> None:
    table = container.view(MeetingTracker).table
    documents, deadlines, attendance = [], [], []
    for _ in range(MEETINGS):
        convener, *invitees = fill.rng.sample(fill.agencies, 5)
        mid, starts = str(uuid.uuid4()), fill.moment()
        documents.append({"id": mid, "convener": convener, "created": fill.next_position()})
        deadlines.append(fill.deadline(mid, "materials", convener, starts - timedelta(days=3)))
        deadlines.append(fill.deadline(mid, "minutes", convener, starts + timedelta(days=7)))
        for agency in invitees:
            answered = fill.met(starts)
            attendance.append(
                {
                    "id": mid,
                    "agency": agency,
                    "starts_at": starts.isoformat(),
                    "starts_key": utc_key(starts),
                    "answered_at": answered,
                    "answered_key": utc_key(answered) if answered else None,
                    "held_at": (starts + timedelta(hours=2)).isoformat(),
                    "absent": int(fill.rng.random() < NEVER + LATE),
                }
            )
    fill.items["invitation"] += len(attendance)
    fill.items["attendance"] += len(attendance)
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table['meetings']} (id, kind, status, convener, created_position,"
            " version, position, doc) VALUES (%(id)s, 'consultation', 'minutes_issued',"
            " %(convener)s, %(created)s, 8, %(created)s, '{}')",
            documents,
        )
        cursor.executemany(DEADLINE_ROW.format(t=table["deadlines"], owner="meeting_id"), deadlines)
        cursor.executemany(
            f"INSERT INTO {table['attendance']} (meeting_id, agency, status, starts_at,"
            " starts_key, answered_at, answered_key, held_at, absent) VALUES (%(id)s, %(agency)s,"
            " 'minutes_issued', %(starts_at)s, %(starts_key)s, %(answered_at)s, %(answered_key)s,"
            " %(held_at)s, %(absent)s)",
            attendance,
        )


def fill_cases(conn: psycopg.Connection, fill: Filler, container: Container) -> None:
    table = container.view(CaseView).table
    documents, deadlines = [], []
    for n in range(CASES):
        agency, cid, filed = fill.rng.choice(fill.agencies), str(uuid.uuid4()), fill.moment()
        documents.append({"id": cid, "agency": agency, "registered": fill.next_position()})
        deadlines.append(fill.deadline(cid, "decision", agency, filed + timedelta(days=30)))
        if n % 3 == 0:
            name = f"reinspection:{uuid.uuid4()}"
            deadlines.append(fill.deadline(cid, name, agency, filed + timedelta(days=20)))
        if n % 3 == 1:
            deadlines.append(
                fill.deadline(cid, "record_filing", agency, filed + timedelta(days=40))
            )
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table['cases']} (id, number, status, procedure, agency, handling_unit,"
            " registered_position, step, version, position, doc) VALUES (%(id)s, NULL, 'filed',"
            " 'general', %(agency)s, %(agency)s, %(registered)s, 'investigation', 5,"
            " %(registered)s, '{}')",
            documents,
        )
        cursor.executemany(DEADLINE_ROW.format(t=table["deadlines"], owner="case_id"), deadlines)


def fill_transfers(conn: psycopg.Connection, fill: Filler, container: Container) -> None:
    table = container.view(CrimeTransferLog).table
    documents, deadlines = [], []
    for _ in range(TRANSFERS):
        agency, police = fill.rng.sample(fill.agencies, 2)
        tid, reported = str(uuid.uuid4()), fill.moment()
        documents.append({"id": tid, "agency": agency, "created": fill.next_position()})
        deadlines.append(fill.deadline(tid, "decision", agency, reported + timedelta(days=3)))
        deadlines.append(fill.deadline(tid, "transfer", agency, reported + timedelta(days=4)))
        deadlines.append(fill.deadline(tid, "filing", police, reported + timedelta(days=7)))
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table['transfers']} (id, status, agency, card, created_position,"
            " version, position, doc) VALUES (%(id)s, 'sent', %(agency)s, '{}', %(created)s, 4,"
            " %(created)s, '{}')",
            documents,
        )
        cursor.executemany(
            DEADLINE_ROW.format(t=table["deadlines"], owner="transfer_id"), deadlines
        )


def make_year(url: str, container: Container, year: int) -> tuple[int, Counter[str], float]:
    """The district and last year's rows: (agencies, items per limit, seconds)."""
    started = time.perf_counter()
    parties = register_district(container.app)
    fill = Filler(sorted(parties), year)
    with psycopg.connect(url) as conn:
        for source in (fill_referrals, fill_meetings, fill_cases, fill_transfers):
            source(conn, fill, container)
    for view in (ReferralView, MeetingTracker, CaseView, CrimeTransferLog):
        vacuum(url, container, view)
    return len(parties), fill.items, time.perf_counter() - started


def main() -> None:
    year = datetime.now(SHANGHAI).year - 1
    period = parse_period(str(year))
    with bench_stack(DATABASE) as (url, settings, container):
        agencies, items, seconds = make_year(url, container, year)
        below = container.app.directory.below(SUPERVISOR)
        port = free_port()
        query = f"/v1/assessment?period={year}"
        with server(settings, port):
            http = asyncio.run(
                each_timed(
                    port,
                    {
                        "GET /healthz": [get(port, "/healthz")],
                        BY_KEY: [get(port, f"/v1/agencies/{BUSY}", token(settings, BUSY))],
                        ONE: [get(port, query, token(settings, BUSY))],
                        BELOW: [get(port, f"{query}&below=true", token(settings, SUPERVISOR))],
                    },
                )
            )
        clock = container.app.clock
        every = [SUPERVISOR, *below]
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
            statements = statements_of(
                conn,
                lambda cursor: figures(
                    lambda: nullcontext(cursor), container.view, every, period, clock()
                ),
            )
            sql = {
                f"the figures' {len(statements)} statements, {len(every)} agencies": warmed(
                    replay(conn, statements, clock)
                )
            }
        local = in_view(
            container,
            {
                "figures (one agency)": lambda c: figures(
                    lambda: nullcontext(c), container.view, [BUSY], period, clock()
                ),
                f"figures ({len(every)} agencies)": lambda c: figures(
                    lambda: nullcontext(c), container.view, every, period, clock()
                ),
            },
        )
        described = described_server(url)
    lines = [f"the yearly assessment on {described}"]
    lines.append(
        f"set-up: {agencies} agencies, {sum(items.values()):,} items due in {year}"
        f" ({', '.join(f'{k} {n:,}' for k, n in sorted(items.items()))}), in {seconds:.1f} s"
        " (not measured)"
    )
    lines += [*http_lines(http), ratio_line(http, BELOW, BY_KEY), ratio_line(http, ONE, BY_KEY)]
    lines.append("baseline: the same statements with bare psycopg, one connection, autocommit:")
    lines += [line(f"  {label}", run) for label, run in sql.items()]
    lines.append("the figures in this process (SQL, no HTTP):")
    lines += [line(f"  {label}", run) for label, run in local.items()]
    goals = {"assessment below a supervisor p95": BELOW, "one agency's assessment p95": ONE}
    lines += p95_verdicts(http, goals, GOAL_P95_MS)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
