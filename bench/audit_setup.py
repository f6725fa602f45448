"""The data of the audit log's benchmark: a PostgreSQL store with a signing key of the run's own,
its events made fast, the log's tables emptied between runs, and a tree of a million leaves
with no events under it.

The store holds the demo district and then registered cases, saved 500 to a transaction
(bench.backbone_setup.fill_store), so its positions have no gaps. The million-leaf tree, in a
database of its own beside the demo district (whose officers the service needs to answer), is
appended straight through TreeStore.append, 10,000 leaves a transaction, each leaf a random
32-byte hash logged at its own position for an aggregate of its own; its tables are then
vacuumed and analysed, as autovacuum would leave them (the local server runs without it).
"""

from __future__ import annotations

import random
import secrets
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bench.backbone_setup import process_env, start_cli
from bench.commands import bench_database
from bench.http import HOST, stop, wait_until_healthy
from services.audit.log import AuditLog
from services.audit.suites import Suite
from services.audit.tree_store import Appended, TreeStore
from services.bootstrap import Container, build, build_audit_log
from services.demo import seed
from services.settings import Settings
from services.tokens import mint

ORIGIN = "liandong/bench"
OFFICER, AGENCY = "wang-fang", "tj-bh-yjj-zfs"  # a demo officer: proofs are for anyone
TREE_BATCH = 10_000
SEED = 20261213
LOG_TABLES = ("audit_leaves", "audit_nodes", "audit_checkpoints")


@contextmanager
def audit_store(database: str, suite: Suite) -> Iterator[Container]:
    """The container on a database made for the run, the log on this suite with a signing
    key of the run's own, the demo seeded; no views, relay or log running: the benchmark
    drives them."""
    with bench_database(database) as url, tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            database_url=url,
            jwt_secret=secrets.token_urlsafe(32),
            var_dir=Path(var_dir),
            audit_suite=suite.name,
            audit_signing_key=suite.generate_signer(ORIGIN),
        )
        container = build(settings, run_views=False)
        try:
            seed(container.app)
            yield container
        finally:
            container.close()


def fresh_log(container: Container) -> AuditLog:
    """The audit log with its tables emptied: it starts again from the store's first event."""
    with container.store_db.transaction() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(LOG_TABLES)}")
    log = build_audit_log(container)
    log.resume()
    return log


@contextmanager
def million_leaf_tree(
    database: str, suite: Suite, leaves: int
) -> Iterator[tuple[Container, TreeStore, float]]:
    """A deployment on a database made for the run whose store holds the demo district only
    and whose log's tree holds `leaves` random leaves, hashed with the suite's hash: (its
    container, the tree, the seconds the set-up took)."""
    with audit_store(database, suite) as container:
        started = time.perf_counter()
        tree = TreeStore(container.store_db, suite.tree)
        fill_tree(tree, leaves)
        vacuum(container.settings.database_url)
        yield container, tree, time.perf_counter() - started


def fill_tree(tree: TreeStore, leaves: int) -> None:
    rng = random.Random(SEED)
    while tree.size < leaves:
        tree.append(random_leaves(rng, tree.size, min(TREE_BATCH, leaves - tree.size)))


def random_leaves(rng: random.Random, after: int, count: int) -> list[Appended]:
    """Leaves logged at the positions after `after`, each for an aggregate of its own."""
    return [
        Appended(after + n + 1, uuid.UUID(int=rng.getrandbits(128)), 1, rng.randbytes(32))
        for n in range(count)
    ]


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("audit_leaves", "audit_nodes"):
            conn.execute(f"VACUUM ANALYZE {table}")


@contextmanager
def serving(settings: Settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`liandong serve` with these settings (the log's suite among them), one uvicorn worker,
    in a process of its own; stopped on leaving."""
    log = settings.var_dir / "server.log"
    command = ["serve", "--host", HOST, "--port", str(port)]
    process = start_cli(command, process_env(settings), log)
    try:
        wait_until_healthy(port, process, log)
        yield process
    finally:
        stop(process)


def officer_token(settings: Settings) -> str:
    assert settings.jwt_secret is not None
    return mint(settings.jwt_secret, officer=OFFICER, agency=AGENCY, roles=["officer"])
