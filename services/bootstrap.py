"""The one place that wires the parts together: store, register, views, runner, relay, tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from projections.view import View
from services import catalogue, dead_letters, gateway, watermarks
from services.application import Clock, Liandong, shanghai_now
from services.audit.checkpoints import Checkpoints
from services.audit.log import AuditLog
from services.audit.publisher import CheckpointPublisher
from services.audit.tree_store import TreeStore
from services.audit.verify import Verification
from services.database import Database, open_database, schema_lock
from services.event_types import known_versions
from services.gateway import Gateway
from services.projector import Projector
from services.relay import Relay, RelayPosition, relay_name
from services.runner import ProjectionRunner
from services.settings import Settings
from services.store_follower import StoreFollower
from services.store_identity import StoreKeyRefused, store_identity
from services.tokens import TokenVerifier
from services.viewstore import ViewStore
from services.warnings.passes import Passes
from services.warnings.watcher import Watcher, watcher_name

T = TypeVar("T")
W = TypeVar("W", bound=StoreFollower)
V = TypeVar("V", bound=View)

# Every view, by name: the registry `liandong project --only` and `liandong rebuild` choose from.
VIEWS: dict[str, type[View]] = catalogue.views()


@dataclass
class Container:
    settings: Settings
    app: Liandong
    views_db: Database
    store_db: Database
    verifier: TokenVerifier
    runner: ProjectionRunner | None = None
    # The workers running in this process (the embedded default's audit log and watcher).
    workers: list[tuple[StoreFollower, threading.Thread]] = field(default_factory=list)
    stores: list[ViewStore] = field(default_factory=list)
    handlers: dict[type, object] = field(default_factory=dict)

    def view(self, cls: type[V]) -> V:
        """The live view of a class (its ViewStore: `store_of`)."""
        return next(s.view for s in self.stores if isinstance(s.view, cls))

    def store_of(self, name: str) -> ViewStore:
        return next(s for s in self.stores if s.view.name == name)

    def handler(self, cls: type[T]) -> T:
        found = self.handlers[cls]
        assert isinstance(found, cls)
        return found

    def view_positions(self) -> dict[str, int]:
        """Per view, the global position up to which it has applied every event."""
        return {s.tracking_name: self._view_position(s) for s in self.stores}

    def _view_position(self, store: ViewStore) -> int:
        tracked = store.max_tracking_id(self.app.name) or 0
        if not self.settings.kafka_mode:
            return tracked
        return max(tracked, watermarks.view_position(self.views_db, store.tracking_name))

    def audit_tree(self) -> TreeStore:
        """The audit log's tree as it is stored now."""
        tree = TreeStore(self.store_db, self.settings.audit_suite_used().tree)
        tree.load()
        return tree

    def checkpoints(self) -> Checkpoints:
        return Checkpoints(self.store_db)

    def watch_state(self) -> dict[str, Any]:
        """The deadline watcher's last pass, and how long ago it was."""
        return Passes(self.views_db, watcher_name(self.settings)).state(self.app.clock())

    def audit_state(self, head: int) -> dict[str, int | None]:
        """How far the audit log has got, and the size its latest checkpoint signs."""
        tree = self.audit_tree()
        latest = self.checkpoints().latest()
        return {
            "position": tree.last_position,
            "lag": max(head - tree.last_position, 0),
            "signed": latest.tree_size if latest else None,
        }

    def relay_position(self) -> RelayPosition:
        return RelayPosition(self.store_db, relay_name(self.settings))

    def dead_letters(self) -> dict[str, int]:
        """Per view, the messages it could not apply (the gateway's refused replies apart)."""
        if not self.settings.kafka_mode:
            return {}
        counts = dead_letters.counts(self.views_db)
        return {view: n for view, n in counts.items() if view != gateway.DEAD_LETTERS}

    def gateway_state(self) -> dict[str, int | None]:
        """Replies refused, and replies on the topic not yet handled (None before it ran)."""
        refused = dead_letters.counts(self.views_db).get(gateway.DEAD_LETTERS, 0)
        return {"refused": refused, "lag": gateway.Progress(self.views_db).lag()}

    def view_errors(self) -> dict[str, str]:
        return dict(self.runner.errors) if self.runner else {}

    def wait_for(self, position: int, timeout: float) -> bool:
        """Read-your-writes: waits until every view has applied `position`."""
        if self.runner is not None:
            return self.runner.wait_for(position, timeout)
        deadline = time.monotonic() + timeout
        while min(self.view_positions().values(), default=position) < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def run_in_process(self, worker: StoreFollower) -> None:
        thread = threading.Thread(target=worker.run, name=type(worker).__name__, daemon=True)
        self.workers.append((worker, thread))
        thread.start()

    def worker(self, cls: type[W]) -> W | None:
        return next((w for w, _ in self.workers if isinstance(w, cls)), None)

    def stop_workers(self) -> None:
        """All told to stop at once, then waited for; each leaves its last word first."""
        for worker, _ in self.workers:
            worker.stop()
        for _, thread in self.workers:
            thread.join(timeout=10)
        self.workers.clear()

    def close(self) -> None:
        self.stop_workers()
        if self.runner is not None:
            self.runner.stop()
        self.app.close()
        self.views_db.close()
        self.store_db.close()


def build(settings: Settings, *, clock: Clock = shanghai_now, run_views: bool = True) -> Container:
    """The API's parts. Views run in process only in embedded mode (no Kafka bootstrap)."""
    with schema_lock(settings.database_url):
        container = _assemble(settings, clock)
    if run_views and not settings.kafka_mode:
        runner = ProjectionRunner(container.app, container.stores, settings.projection_poll_seconds)
        container.app.listeners.append(lambda _position: runner.wake())
        runner.start()
        container.runner = runner
    if run_views and settings.embedded:
        start_audit_log(container)
        start_watcher(container)
    return container


def start_watcher(container: Container) -> None:
    """The embedded default watches in process; its first pass comes after its interval, so
    a process that starts and stops at once (a test) pays nothing for it."""
    container.run_in_process(Watcher(container, first_pass_waits=True))


def start_audit_log(container: Container) -> None:
    """The embedded default logs in process, woken by every commit."""
    audit = build_audit_log(container)
    container.app.listeners.append(lambda _position: audit.wake())
    container.run_in_process(audit)


def _assemble(settings: Settings, clock: Clock) -> Container:
    """The store, the views and their tables, created where missing. A store opened with a key
    that is not its own is refused first (StoreKeyRefused), before anything else is made."""
    app = Liandong(
        settings.event_store_env(),
        numbering=settings.case_numbering(),
        clock=clock,
        mechanisms=(settings.mechanism, dict(settings.mechanisms_by_region)),
    )
    store_db = open_database(settings.database_url, 2)
    try:
        identity = store_identity(
            store_db, settings.store_key(), holds_events=app.head_position() > 0
        )
    except StoreKeyRefused:
        store_db.close()
        app.close()
        raise
    views_db = open_database(settings.views_url(), settings.postgres_pool_size)
    stores = [ViewStore(views_db, view()) for view in VIEWS.values()]
    for store in stores:
        store.create_tables()
        dead_letters.DeadLetters(views_db, store.tracking_name).create_table()
        watermarks.Watermarks(views_db, store.tracking_name).create_table()
    container = Container(
        settings=settings,
        app=app,
        views_db=views_db,
        store_db=store_db,
        verifier=verifier_for(settings),
        stores=stores,
    )
    container.handlers = {cls: cls(app) for kind in catalogue.KINDS for cls in kind.handlers}
    container.relay_position().create_table()
    TreeStore(container.store_db, settings.audit_suite_used().tree).create_tables()
    container.checkpoints().create_table()
    Passes(views_db, watcher_name(settings)).create_table()
    follow_the_store(container, identity)
    return container


def follow_the_store(container: Container, identity: str) -> None:
    """Views built from another store, or further on than this one, are built afresh."""
    head = container.app.head_position()
    for view in container.stores:
        view.follow(identity, head, container.app.name)


def build_relay(container: Container) -> Relay:
    return Relay(container.app, container.relay_position(), container.settings)


def build_audit_log(container: Container) -> AuditLog:
    """In Kafka mode every checkpoint is published on the audit topic."""
    settings = container.settings
    publisher = CheckpointPublisher(settings) if settings.kafka_mode else None
    tree = TreeStore(container.store_db, settings.audit_suite_used().tree)
    return AuditLog(
        container.app, tree, container.checkpoints(), settings.audit_signer(), settings, publisher
    )


def build_verification(container: Container) -> Verification:
    """`liandong audit verify`: the store against the log and its checkpoints."""
    settings = container.settings
    return Verification(
        container.app,
        container.audit_tree(),
        container.checkpoints(),
        settings.audit_signer().verifier(),
        settings.audit_suite_used().tree,
    )


def build_gateway(container: Container) -> Gateway:
    letters = dead_letters.DeadLetters(container.views_db, gateway.DEAD_LETTERS)
    progress = gateway.Progress(container.views_db)
    progress.create_table()
    keys = container.settings.reply_keys()
    return gateway.Gateway(container.app, container.settings, keys, letters, progress)


def build_projectors(container: Container, only: Sequence[str] = ()) -> list[Projector]:
    chosen = [s for s in container.stores if not only or s.view.name in only]
    return [projector_for(container, store) for store in chosen]


def projector_for(container: Container, store: ViewStore) -> Projector:
    name = store.tracking_name
    letters = dead_letters.DeadLetters(container.views_db, name)
    marks = watermarks.Watermarks(container.views_db, name)
    return Projector(
        store, container.settings, container.relay_position(), known_versions(), letters, marks
    )


def verifier_for(settings: Settings) -> TokenVerifier:
    from datetime import timedelta

    from services.token_keys import JwksClient, load_public_key
    from services.tokens import TokenRules

    rules = TokenRules(
        timedelta(hours=settings.jwt_max_lifetime_hours), settings.jwt_issuer, settings.jwt_audience
    )
    algorithm = settings.jwt_algorithm
    if algorithm == "HS256":
        return TokenVerifier(settings.signing_secret(), algorithm, rules)
    if settings.jwt_jwks_url:
        keys = JwksClient(
            settings.jwt_jwks_url,
            settings.jwt_jwks_cache_seconds,
            settings.jwt_jwks_timeout_seconds,
        )
        return TokenVerifier(keys, algorithm, rules)
    # The settings have refused RS256 and ES256 without a usable key.
    return TokenVerifier(
        load_public_key(settings.jwt_public_key or "", algorithm), algorithm, rules
    )
