"""Gateway throughput: 10,000 signed police replies applied, against the same commands called
directly.

Measured: 20,000 crime transfers in the state `sent` on PostgreSQL
(bench.crime_transfer_gateway_setup: built through the domain, saved 200 with their cases to a
transaction), in a database made for
the run and dropped afterwards, with topics of the run's own on the local broker. The gateway
(`build_gateway(container)`) joins its consumer group while the replies topic is still empty;
then 10,000 Receipt replies of qin-song of tj-bh-gaj, one for each transfer of the first set,
each a CloudEvent signed (ES256) with a key registered in police_reply_keys, all signed
beforehand, are published and flushed. `Gateway.run_once()` is called until it has handled
10,000 messages: each signature verified, the reply's type and body checked, the officer looked
up, the reply's claim looked for, then `sign_receipt` with the claim (the transfer loaded, the
receipt signed, its event and the claim saved in one transaction), the poll's offsets
committed. The clock starts with the first poll that brings messages, so the group's first join
is not in the timing. Then the store must hold two more events for each reply (ReceiptSigned and
the claim) and the gateway no dead letter: every reply was applied.

Baseline, same server and same run: the same 10,000 commands on the second set of transfers,
`CrimeTransferHandlers(app).sign_receipt(qin-song, transfer, note, claim=...)` with a claim of
its own each, as the gateway calls it, one after another; half before the gateway's run and
half after, so the store's growth falls on both alike.

Goal: the gateway applies replies at least at 0.5 of the direct commands' rate.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import psycopg

from bench.backbone_setup import deployment, first_batch, join
from bench.commands import describe_server, person, timed
from bench.crime_transfer_gateway_setup import sent_transfers
from bench.figures import Run, merge, rate_line, verdict
from domain.calendar import SHANGHAI
from domain.values import Actor
from services import kafka
from services.application import Liandong
from services.bootstrap import Container, build_gateway
from services.dead_letters import DeadLetters
from services.gateway import DEAD_LETTERS, Gateway
from services.handlers.crime_transfers import CrimeTransferHandlers
from services.idempotency import PendingClaim
from services.reply_signing import HEADER, SOURCE_PREFIX, TYPE_PREFIX, sign
from services.settings import Settings
from tests.signing import PoliceKey, police_reply_keys

DATABASE = "liandong_bench_gateway"
REPLIES = 10_000
GOAL_RATIO = 0.5
RUN_TIMEOUT = 600.0
POLICE, OFFICER = "tj-bh-gaj", "qin-song"
NOTE = "已收到移送案件材料，正在审查。"

Message = tuple[bytes, bytes, list[tuple[str, bytes]]]  # key, value, headers


# The replies -----------------------------------------------------------------------------


def receipts(transfers: list[UUID], key: PoliceKey) -> list[Message]:
    """A signed Receipt reply for each transfer, as a police system publishes it."""
    private, signed = key.private_pem(), []
    for transfer in transfers:
        event = {
            "specversion": "1.0",
            "id": str(uuid4()),
            "source": f"{SOURCE_PREFIX}{POLICE}",
            "type": f"{TYPE_PREFIX}Receipt",
            "subject": str(transfer),
            "time": datetime.now(SHANGHAI).isoformat(),
            "datacontenttype": "application/json",
            "data": {"officer": OFFICER, "note": NOTE},
        }
        value = json.dumps(event, ensure_ascii=False).encode()
        signature = sign(value, private, key.kid, key.algorithm).encode()
        signed.append((str(transfer).encode(), value, [(HEADER, signature)]))
    return signed


def publish(settings: Settings, messages: list[Message]) -> None:
    producer, topic = kafka.producer(settings), kafka.replies_topic(settings)
    for key, value, headers in messages:
        producer.send(topic, key=key, value=value, headers=headers)
    producer.flush(timeout=120)
    producer.close(timeout=5)


# Timing ----------------------------------------------------------------------------------


def apply_all(gateway: Gateway) -> tuple[float, list[int], float]:
    """Seconds from the first poll that brings replies until all are handled, the poll sizes,
    and the CPU this process used meanwhile (in cores)."""
    cpu = time.process_time()
    started, handled = first_batch(gateway)
    sizes = [handled]
    while sum(sizes) < REPLIES:
        if time.perf_counter() - started > RUN_TIMEOUT:
            raise SystemExit(f"the gateway handled {sum(sizes):,} replies in {RUN_TIMEOUT:.0f} s")
        if handled := gateway.run_once(timeout_ms=100):
            sizes.append(handled)
    seconds = time.perf_counter() - started
    return seconds, sizes, (time.process_time() - cpu) / seconds


def check_applied(container: Container, head_before: int) -> None:
    """Each reply stored its ReceiptSigned and its claim; none was refused."""
    stored = container.app.head_position() - head_before
    refused = len(DeadLetters(container.views_db, DEAD_LETTERS).listing())
    if stored != 2 * REPLIES or refused:
        raise SystemExit(f"{stored:,} events stored for {REPLIES:,} replies, {refused:,} refused")


def direct(app: Liandong, actor: Actor, transfers: list[UUID]) -> Run:
    """`sign_receipt` for each transfer with a claim of its own, as the gateway calls it."""
    handlers, each = CrimeTransferHandlers(app), iter(transfers)

    def sign_one() -> None:
        transfer = next(each)
        place = f"direct/{transfer}"
        claim = PendingClaim(
            scope=f"gateway:{POLICE}", key=str(uuid4()), fingerprint=place, status=200
        )
        handlers.sign_receipt(actor, transfer, NOTE, claim=claim)

    return timed(sign_one, len(transfers))


# The run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    setup: float  # seconds to build and save both sets of transfers
    seconds: float  # the gateway's, for REPLIES replies
    sizes: list[int]  # its polls' sizes
    cores: float
    baseline: Run


def report(server: str, figures: Figures) -> None:
    rate, base_rate = REPLIES / figures.seconds, figures.baseline.rate
    print(f"crime-transfer gateway on {server}, {REPLIES:,} signed Receipt replies (ES256)")
    print(f"set-up: {2 * REPLIES:,} sent transfers built and saved in {figures.setup:.1f} s")
    print(
        f"{len(figures.sizes)} polls with messages, median poll "
        f"{statistics.median(figures.sizes):,.0f}; this process used {figures.cores:.2f} cores"
    )
    base = figures.baseline
    print(
        rate_line(
            "baseline  CrimeTransferHandlers.sign_receipt", base.ops, base.seconds, "commands"
        )
    )
    print(
        rate_line(
            "gateway   run_once to the last reply applied", REPLIES, figures.seconds, "replies"
        )
    )
    ratio = rate / base_rate
    print(f"ratio     gateway / direct commands: {ratio:.2f}")
    met = ratio >= GOAL_RATIO
    print(verdict("gateway rate / direct rate", f"{ratio:.2f}", f">= {GOAL_RATIO}", met))


def gateway_run(container: Container, messages: list[Message]) -> tuple[float, list[int], float]:
    """The gateway joined, the replies published, then timed until it has handled them all."""
    gateway = build_gateway(container)
    try:
        join(gateway, lambda: bool(gateway.consumer and gateway.consumer.assignment()))
        head = container.app.head_position()
        publish(container.settings, messages)
        timing = apply_all(gateway)
    finally:
        gateway.close()
    check_applied(container, head)
    return timing


def main() -> None:
    key = PoliceKey.make("bench-bh-gaj-1", POLICE)
    with deployment(DATABASE, police_reply_keys=police_reply_keys(key)) as container:
        app, started = container.app, time.perf_counter()
        replied, signed_directly = sent_transfers(app, REPLIES), sent_transfers(app, REPLIES)
        setup = time.perf_counter() - started
        messages, actor, half = receipts(replied, key), person(app, OFFICER), REPLIES // 2
        before = direct(app, actor, signed_directly[:half])
        seconds, sizes, cores = gateway_run(container, messages)
        after = direct(app, actor, signed_directly[half:])
        with psycopg.connect(container.settings.database_url) as conn:
            server = describe_server(conn)
    report(server, Figures(setup, seconds, sizes, cores, merge([before, after])))


if __name__ == "__main__":
    main()
