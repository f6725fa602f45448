"""A police system's side of crime transfers (两法衔接), written as an outside system would write
it: from liandong's published contracts only (see README.md beside this file).

It reads liandong's crime-transfer events from `<prefix>liandong.crime-transfer.v1`, takes the
`liandong.CrimeTransfer.Sent` events addressed to its own agency (`data.public_security`), and
answers each with two signed replies on `<prefix>liandong.crime-transfer-replies.v1`: a Receipt,
then a FilingDecided. Each reply is a CloudEvent (structured JSON), keyed by the transfer id,
with the header `liandong-jws`: a compact JWS with detached payload over the exact value bytes.

    python reference_client.py --bootstrap 127.0.0.1:19092 --agency tj-bh-gaj \\
        --officer qin-song --key-id tj-bh-gaj-2026-01 --private-key police.pem

Needs confluent-kafka and PyJWT with cryptography.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer

TRANSFERS = "liandong.crime-transfer.v1"
REPLIES = "liandong.crime-transfer-replies.v1"
SENT = "liandong.CrimeTransfer.Sent"
REPLY_TYPE = "liandong.CrimeTransferReply."
SIGNATURE_HEADER = "liandong-jws"
JWS_TYPE = "liandong-reply+jws"
# Tansu, the development broker, makes a group's first join wait about 3 s.
SESSION_TIMEOUT_MS = 6000
HEARTBEAT_INTERVAL_MS = 1000
BEIJING = timezone(timedelta(hours=8))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port,…")
    parser.add_argument("--topic-prefix", default="", help="the deployment's topic prefix")
    parser.add_argument("--agency", required=True, help="this police agency's code in liandong")
    parser.add_argument("--officer", required=True, help="the officer who signs the receipt")
    parser.add_argument("--head", help="the head who decides on filing (default: the --officer)")
    parser.add_argument("--key-id", required=True, help="the kid liandong registered the key as")
    parser.add_argument("--private-key", required=True, help="PEM file of the signing key")
    parser.add_argument("--algorithm", choices=["ES256", "EdDSA"], default="ES256")
    parser.add_argument("--decision", choices=["filed", "not-filed"], default="filed")
    parser.add_argument("--max-transfers", type=int, help="stop after answering this many")
    parser.add_argument("--timeout", type=float, help="stop after this many seconds")
    parser.add_argument("--group", help="consumer group (default: police-<agency>)")
    return parser.parse_args(argv)


def sign(value: bytes, private_key: str, kid: str, algorithm: str) -> str:
    """`<protected header>..<signature>`: an ordinary JWS over the value, its payload left out."""
    headers = {"kid": kid, "typ": JWS_TYPE}
    protected, _, signature = jwt.api_jws.encode(value, private_key, algorithm, headers).split(".")
    return f"{protected}..{signature}"


def reply(name: str, transfer: str, agency: str, data: dict[str, Any]) -> dict[str, Any]:
    """One reply as a CloudEvent. Its id is derived from what it answers, so a reply sent again
    after a crash carries the id of the first and liandong takes it once."""
    return {
        "specversion": "1.0",
        "id": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"urn:liandong:police:{agency}/{transfer}/{name}")
        ),
        "source": f"urn:liandong:police:{agency}",
        "type": REPLY_TYPE + name,
        "subject": transfer,
        "time": now(),
        "datacontenttype": "application/json",
        "data": data,
    }


def now() -> str:
    return datetime.now(BEIJING).isoformat(timespec="seconds")


def receipt(officer: str) -> dict[str, Any]:
    return {"officer": officer, "note": "已收到移送案件材料，正在审查。"}


def filing_decision(officer: str, transfer: str, agency: str, filed: bool) -> dict[str, Any]:
    if filed:
        title, reasons = "立案决定书", "涉嫌犯罪事实清楚，需要追究刑事责任，决定立案侦查。"
    else:
        title = "不予立案通知书"
        reasons = "认为没有犯罪事实，或者犯罪事实显著轻微，不需要追究刑事责任，决定不予立案。"
    document = f"{title}\n移送编号：{transfer}\n{reasons}\n".encode()
    return {
        "officer": officer,
        "filed": filed,
        "decided_at": now(),
        "reasons": reasons,
        "document": {
            "title": title,
            "sha256": hashlib.sha256(document).hexdigest(),
            "size": len(document),
            "uri": f"https://police.example/{agency}/decisions/{transfer}",
        },
    }


def addressed_to(message: Message, agency: str) -> str | None:
    """The transfer id of a Sent event for this agency; None for any other message."""
    try:
        event = json.loads(message.value() or b"")
    except ValueError:
        return None
    if not isinstance(event, dict) or event.get("type") != SENT:
        return None
    data = event.get("data")
    if not isinstance(data, dict) or data.get("public_security") != agency:
        return None
    return str(event.get("subject"))


class Police:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        with open(args.private_key) as pem:
            self.private_key = pem.read()
        self.replies = args.topic_prefix + REPLIES
        self.producer = Producer(
            {"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "acks": "all"}
        )
        self.consumer = Consumer(
            {
                "bootstrap.servers": args.bootstrap,
                "group.id": args.group or f"police-{args.agency}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "session.timeout.ms": SESSION_TIMEOUT_MS,
                "heartbeat.interval.ms": HEARTBEAT_INTERVAL_MS,
                # A topic created after the start is noticed within seconds, not minutes.
                "topic.metadata.refresh.interval.ms": 5000,
            }
        )
        self.consumer.subscribe([args.topic_prefix + TRANSFERS])

    def run(self) -> int:
        try:
            answered = self.answer_until_done()
        finally:
            self.consumer.close()
        args = self.args
        if args.max_transfers is not None and answered < args.max_transfers:
            print(f"answered {answered} of {args.max_transfers} transfers in time", file=sys.stderr)
            return 1
        return 0

    def answer_until_done(self) -> int:
        args, answered = self.args, 0
        deadline = None if args.timeout is None else time.monotonic() + args.timeout
        while args.max_transfers is None or answered < args.max_transfers:
            if deadline is not None and time.monotonic() >= deadline:
                break
            message = self.consumer.poll(0.5)
            if message is None or self.skipped(message):
                continue
            transfer = addressed_to(message, args.agency)
            if transfer is None:
                continue
            self.answer(transfer)
            # At least once: the offset is committed only after both replies are acknowledged.
            self.consumer.commit(message=message, asynchronous=False)
            answered += 1
        return answered

    def skipped(self, message: Message) -> bool:
        error = message.error()
        if error is None:
            return False
        if error.code() != KafkaError.UNKNOWN_TOPIC_OR_PART:  # the topic may not exist yet
            raise KafkaException(error)
        return True

    def answer(self, transfer: str) -> None:
        args, failures = self.args, []

        def delivered(error: KafkaError | None, _: Message) -> None:
            if error is not None:
                failures.append(error)

        filed = args.decision == "filed"
        for name, data in (
            ("Receipt", receipt(args.officer)),
            (
                "FilingDecided",
                filing_decision(args.head or args.officer, transfer, args.agency, filed),
            ),
        ):
            value = json.dumps(reply(name, transfer, args.agency, data), ensure_ascii=False)
            body = value.encode()
            signature = sign(body, self.private_key, args.key_id, args.algorithm)
            self.producer.produce(
                self.replies,
                key=transfer.encode(),
                value=body,
                headers=[(SIGNATURE_HEADER, signature.encode())],
                on_delivery=delivered,
            )
        self.producer.flush(30)
        if failures or len(self.producer):
            raise KafkaException(failures[0] if failures else "replies not acknowledged in 30 s")
        print(f"answered {transfer}: Receipt, FilingDecided ({args.decision})")


def main(argv: list[str] | None = None) -> int:
    return Police(parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
