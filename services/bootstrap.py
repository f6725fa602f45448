"""The one place that wires the parts together: store, register, views, runner, tokens."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from projections.cases import CaseView
from services.application import Clock, Liandong, shanghai_now
from services.database import Database, open_database
from services.runner import ProjectionRunner
from services.settings import Settings
from services.tokens import TokenVerifier
from services.viewstore import ViewStore


@dataclass
class Container:
    settings: Settings
    app: Liandong
    views_db: Database
    cases: ViewStore
    case_view: CaseView
    verifier: TokenVerifier
    runner: ProjectionRunner | None = None
    stores: list[ViewStore] = field(default_factory=list)

    def view_positions(self) -> dict[str, int]:
        return {s.tracking_name: s.max_tracking_id(self.app.name) or 0 for s in self.stores}

    def wait_for(self, position: int, timeout: float) -> bool:
        """Read-your-writes: waits until every view has applied `position`."""
        if self.runner is not None:
            return self.runner.wait_for(position, timeout)
        deadline = time.monotonic() + timeout
        while min(self.view_positions().values(), default=position) < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        if self.runner is not None:
            self.runner.stop()
        self.app.close()
        self.views_db.close()


def build(settings: Settings, *, clock: Clock = shanghai_now, run_views: bool = True) -> Container:
    app = Liandong(settings.event_store_env(), numbering=settings.case_numbering(), clock=clock)
    views_db = open_database(settings.views_url(), settings.postgres_pool_size)
    case_view = CaseView()
    cases = ViewStore(views_db, case_view)
    stores = [cases]
    for store in stores:
        store.create_tables()
    container = Container(
        settings=settings,
        app=app,
        views_db=views_db,
        cases=cases,
        case_view=case_view,
        verifier=verifier_for(settings),
        stores=stores,
    )
    if run_views:
        runner = ProjectionRunner(app, stores, settings.projection_poll_seconds)
        app.listeners.append(lambda _position: runner.wake())
        runner.start()
        container.runner = runner
    return container


def verifier_for(settings: Settings) -> TokenVerifier:
    if settings.jwt_algorithm.startswith("HS"):
        return TokenVerifier(settings.signing_secret(), settings.jwt_algorithm)
    assert settings.jwt_public_key is not None
    return TokenVerifier(settings.jwt_public_key, settings.jwt_algorithm)
