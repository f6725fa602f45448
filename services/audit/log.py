"""The audit log: every stored event, in position order, a leaf of the log's Merkle tree, and
a signed checkpoint at least every N events or T seconds once the tree has grown.

It follows the store's notification log from the last logged position, as the relay does, and
leads alone (the other processes stand by). A checkpoint is signed only over leaves already
written, and stored before it is published; publishing (Kafka mode) is retried until the broker
has it, without holding the log back.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Protocol

from services.audit.checkpoints import Checkpoints, SignedCheckpoint
from services.audit.leaf import Leaf
from services.audit.signed_note import Checkpoint, NoteSigner
from services.audit.tree_store import Appended, TreeStore
from services.settings import Settings
from services.store_follower import StoreFollower

log = logging.getLogger(__name__)


class Publisher(Protocol):
    """Where checkpoints go once stored (the audit topic); `publish` raises if they did not."""

    def publish(self, checkpoints: list[SignedCheckpoint]) -> None: ...

    def close(self) -> None: ...


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class AuditLog(StoreFollower):
    def __init__(
        self,
        app: Any,
        tree: TreeStore,
        checkpoints: Checkpoints,
        signer: NoteSigner,
        settings: Settings,
        publisher: Publisher | None = None,
    ) -> None:
        super().__init__(settings.database_url, log_name(settings))
        self.app = app
        self.tree = tree
        self.checkpoints = checkpoints
        self.signer = signer
        self.settings = settings
        self.publisher = publisher
        self._last_signed = time.monotonic()  # of the last checkpoint, or of the start
        # While it leads, only this log signs: what it signed last and whether a checkpoint may
        # wait for the broker are known here, not asked of the database on every pass.
        self.signed_size = 0
        self.unpublished = True

    # Running --------------------------------------------------------------------------------

    def resume(self) -> None:
        self.tree.load()
        latest = self.checkpoints.latest()
        self.signed_size = latest.tree_size if latest else 0
        self.unpublished = True

    def failed(self, error: Exception) -> None:
        log.exception("audit log: cannot log position %d", self.tree.last_position + 1)
        self.error = f"{type(error).__name__}: {error}"

    def stopping(self) -> None:
        """A log that stops signs what it has logged, so no leaf waits for its next start."""
        try:
            if self.tree.size > self.signed_size:
                self.sign()
            self._publish_pending()
        except Exception:  # the next start signs it
            log.exception("audit log: cannot sign its last checkpoint")

    def close(self) -> None:
        if self.publisher is not None:
            self.publisher.close()

    def run_once(self) -> int:
        """Logs the next batch of stored events, signs a checkpoint if one is due and publishes
        the checkpoints not yet published; answers how many events it logged."""
        logged = self.append_next()
        if self.checkpoint_due():
            self.sign()
        self._publish_pending()
        return logged

    # Parts ----------------------------------------------------------------------------------

    def append_next(self) -> int:
        notes = self.app.recorder.select_notifications(
            start=self.tree.last_position + 1,
            limit=self.settings.audit_batch_size,
            inclusive_of_start=True,
        )
        leaves = [
            Appended(
                n.id,
                n.originator_id,
                n.originator_version,
                self.tree.tree.leaf(Leaf.of(n).encode()),
            )
            for n in notes
        ]
        self.tree.append(leaves)
        return len(leaves)

    def checkpoint_due(self) -> bool:
        grown = self.tree.size - self.signed_size
        if grown <= 0:
            return False
        waited = time.monotonic() - self._last_signed
        return (
            grown >= self.settings.audit_checkpoint_events
            or waited >= self.settings.audit_checkpoint_seconds
        )

    def sign(self) -> SignedCheckpoint:
        """Signs and stores the checkpoint of the tree as it is now."""
        body = Checkpoint(self.signer.name, self.tree.size, self.tree.root())
        checkpoint = SignedCheckpoint(
            body.origin,
            body.size,
            body.root,
            self.settings.audit_suite,
            utc_now(),
            self.signer.sign(body.text()),
        )
        self.checkpoints.save(checkpoint)
        self._last_signed = time.monotonic()
        self.signed_size, self.unpublished = checkpoint.tree_size, True
        return checkpoint

    def _publish_pending(self) -> None:
        if self.publisher is None or not self.unpublished:
            return
        pending = self.checkpoints.unpublished()
        if not pending:
            self.unpublished = False
            return
        try:
            self.publisher.publish(pending)
        except Exception as error:  # kept unpublished: the next pass tries again
            log.warning("audit log: cannot publish %d checkpoints (%s)", len(pending), error)
            return
        self.checkpoints.mark_published(pending)
        self.unpublished = False


def log_name(settings: Settings) -> str:
    return f"{settings.kafka_topic_prefix}liandong.audit"


def encode_message(checkpoint: SignedCheckpoint) -> bytes:
    return json.dumps(checkpoint.message(), ensure_ascii=False).encode()
