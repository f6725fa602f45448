"""The `liandong` command: serve the API, seed the demo district, mint tokens, make a store key."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from services.settings import Settings
from services.store_identity import StoreKeyRefused

SWITCH_INTERVAL = 0.0005


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.run is run_store_key:  # a key is made before the settings it goes into
        return run_store_key()
    try:
        settings = Settings()
    except ValueError as error:
        print(f"liandong: settings are not valid:\n{error}", file=sys.stderr)
        return 2
    try:
        result: int = args.run(settings, args)
    except StoreKeyRefused as refusal:
        print(f"liandong: {refusal}", file=sys.stderr)
        return 2
    return result


def view_names() -> list[str]:
    from services import catalogue

    return sorted(catalogue.views())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="liandong", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--no-demo",
        action="store_true",
        help="do not seed the demo district into an empty embedded store",
    )
    serve.set_defaults(run=run_serve)
    relay = commands.add_parser("relay", help="publish every stored event to Kafka")
    relay.set_defaults(run=run_relay)
    gateway = commands.add_parser(
        "gateway", help="turn police systems' replies to crime transfers into commands"
    )
    gateway.set_defaults(run=run_gateway)
    project = commands.add_parser("project", help="feed the views from Kafka")
    project.add_argument("--only", action="append", choices=view_names(), metavar="NAME")
    project.set_defaults(run=run_project)
    up = commands.add_parser(
        "up",
        help="run the API, the relay, the projector, the gateway, the audit log and the watcher",
    )
    up.add_argument("--host", help="where the API listens (passed to its `serve`)")
    up.add_argument("--port", type=int)
    up.set_defaults(run=run_up)
    audit = commands.add_parser(
        "audit", help="log every stored event in the audit log and sign its checkpoints"
    )
    audit.add_argument(
        "action",
        nargs="?",
        choices=("run", "verify"),
        default="run",
        help="run the log (the default), or verify the store against it",
    )
    audit.set_defaults(run=run_audit)
    watch = commands.add_parser(
        "watch", help="raise and withdraw warnings on every running time limit"
    )
    watch.set_defaults(run=run_watch)
    audit_key = commands.add_parser("audit-key", help="make a key for signing checkpoints")
    audit_key.add_argument("--name", required=True, help="the log's origin, e.g. liandong/tj-bh")
    audit_key.add_argument(
        "--suite", choices=("sha256-ed25519", "sm3-sm2"), default="sha256-ed25519"
    )
    audit_key.set_defaults(run=run_audit_key)
    rebuild = commands.add_parser("rebuild", help="rebuild views from scratch and swap them in")
    which = rebuild.add_mutually_exclusive_group(required=True)
    which.add_argument("name", nargs="?", choices=view_names(), metavar="NAME")
    which.add_argument("--all", action="store_true", help="every view")
    rebuild.add_argument("--from", dest="source", choices=("store", "kafka"), default="store")
    rebuild.set_defaults(run=run_rebuild)
    seed = commands.add_parser("seed-demo", help="register the demo district")
    seed.set_defaults(run=run_seed_demo)
    token = commands.add_parser("token", help="mint a token for a registered officer")
    token.add_argument("--officer", required=True)
    token.add_argument("--hours", type=float, default=12)
    token.add_argument("--admin", action="store_true", help="mint an administrator's token")
    token.set_defaults(run=run_token)
    store_key = commands.add_parser(
        "store-key", help="make a new key for LIANDONG_STORE_CIPHER_KEY (records encrypted at rest)"
    )
    store_key.set_defaults(run=run_store_key)
    return parser


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from services.api.main import create_app
    from services.bootstrap import build
    from services.demo import seed

    container = build(settings)
    if settings.embedded and not args.no_demo:
        seed(container.app)
        print_demo_tokens(settings, container)
    app = create_app(container, close_on_shutdown=True)
    # Store writes hold a lock across their SQL calls; each call gives up the GIL and must win
    # it back from the busy event loop. A shorter switch interval keeps that hold short.
    sys.setswitchinterval(SWITCH_INTERVAL)
    uvicorn.run(
        app, host=args.host or settings.host, port=args.port or settings.port, log_level="info"
    )
    return 0


def run_relay(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build, build_relay
    from services.workers import configure_logging, run_until_signalled

    if not needs_kafka(settings, "relay"):
        return 2
    configure_logging()
    container = build(settings, run_views=False)
    try:
        return run_until_signalled([build_relay(container)])
    finally:
        container.close()


def run_gateway(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build, build_gateway
    from services.workers import configure_logging, run_until_signalled

    if not needs_kafka(settings, "gateway"):
        return 2
    configure_logging()
    container = build(settings, run_views=False)
    try:
        return run_until_signalled([build_gateway(container)])
    finally:
        container.close()


def run_project(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build, build_projectors
    from services.workers import configure_logging, run_until_signalled

    if not needs_kafka(settings, "project"):
        return 2
    configure_logging()
    container = build(settings, run_views=False)
    try:
        return run_until_signalled(build_projectors(container, args.only or ()))
    finally:
        container.close()


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build, build_audit_log
    from services.workers import configure_logging, run_until_signalled

    try:
        settings.audit_signer()
    except ValueError as error:
        print(f"liandong audit: {error}", file=sys.stderr)
        return 2
    configure_logging()
    container = build(settings, run_views=False)
    try:
        if args.action == "verify":
            return print_verification(container)
        return run_until_signalled([build_audit_log(container)])
    finally:
        container.close()


def run_watch(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build
    from services.warnings.watcher import Watcher
    from services.workers import configure_logging, run_until_signalled

    configure_logging()
    container = build(settings, run_views=False)
    try:
        return run_until_signalled([Watcher(container)])
    finally:
        container.close()


def print_verification(container: Any) -> int:
    from services.bootstrap import build_verification

    report = build_verification(container).run()
    for finding in report.findings:
        print(finding.line())
    summary = f"{report.events} events, {report.checkpoints} checkpoints"
    unlogged = f"; {report.unlogged} stored since the log's last leaf" if report.unlogged else ""
    if report.verified:
        print(f"{summary}: all verified{unlogged}")
        return 0
    found = len(report.findings)
    print(f"{summary}: {found} finding{'' if found == 1 else 's'}{unlogged}")
    return 1


def run_audit_key(settings: Settings, args: argparse.Namespace) -> int:
    from services.audit.suites import suite

    used = suite(args.suite)
    key = used.generate_signer(args.name)
    print(f"LIANDONG_AUDIT_SUITE={used.name}")
    print(f"LIANDONG_AUDIT_SIGNING_KEY={key}")
    print(f"# the verifier key for supervisors: {used.signer(key).verifier().vkey()}")
    return 0


def run_up(settings: Settings, args: argparse.Namespace) -> int:
    from services.workers import run_group

    if not needs_kafka(settings, "up"):
        return 2
    return run_group(up_commands(args))


def up_commands(args: argparse.Namespace) -> list[list[str]]:
    """The children of `liandong up`; the API's address goes to its `serve`."""
    serve = ["serve", "--no-demo"]
    if args.host:
        serve += ["--host", args.host]
    if args.port:
        serve += ["--port", str(args.port)]
    return [["relay"], ["project"], ["gateway"], ["audit"], ["watch"], serve]


def run_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build
    from services.progress import Progress
    from services.rebuild import rebuild

    if args.source == "kafka" and not needs_kafka(settings, "rebuild --from kafka"):
        return 2
    names = view_names() if args.all else [args.name]
    container = build(settings, run_views=False)
    try:
        rebuild(container, names, args.source, Progress)
    finally:
        container.close()
    return 0


def needs_kafka(settings: Settings, command: str) -> bool:
    if settings.kafka_mode:
        return True
    print(
        f"liandong {command}: set LIANDONG_KAFKA_BOOTSTRAP (host:port of the Kafka brokers);"
        " without it the views run inside `liandong serve`",
        file=sys.stderr,
    )
    return False


def run_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from services.bootstrap import build
    from services.demo import seed

    container = build(settings, run_views=False)
    try:
        seed(container.app)
        print_demo_tokens(settings, container)
    finally:
        container.close()
    return 0


def run_token(settings: Settings, args: argparse.Namespace) -> int:
    from services.tokens import mint

    refusal = token_refusal(settings, args.hours)
    if refusal:
        print(f"liandong token: {refusal}", file=sys.stderr)
        return 2
    admin = (args.officer, "", ["admin"])
    identity = admin if args.admin else registered_officer(settings, args.officer)
    if identity is None:
        print(f"liandong: no officer {args.officer!r} is registered", file=sys.stderr)
        return 1
    officer, agency, roles = identity
    token = mint(
        settings.signing_secret(),
        officer=officer,
        agency=agency,
        roles=roles,
        hours=args.hours,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    print(token)
    return 0


def registered_officer(settings: Settings, code: str) -> tuple[str, str, list[str]] | None:
    from services.bootstrap import build

    container = build(settings, run_views=False)
    try:
        found = container.app.directory.officer(code)
    finally:
        container.close()
    return None if found is None else (found.officer, found.agency_code, list(found.roles))


def token_refusal(settings: Settings, hours: float) -> str | None:
    if settings.jwt_algorithm != "HS256":
        return f"the identity provider issues {settings.jwt_algorithm} tokens, not this command"
    cap = settings.jwt_max_lifetime_hours
    if not 0 < hours <= cap:
        return f"--hours must be more than 0 and at most LIANDONG_JWT_MAX_LIFETIME_HOURS ({cap:g})"
    return None


def run_store_key() -> int:
    """A new random AES-256 key, in base64, for the store's records; printed, kept nowhere."""
    from eventsourcing.cryptography import AESCipher

    print(AESCipher.create_key(32))
    return 0


def print_demo_tokens(settings: Settings, container: object) -> None:
    from services.demo import OFFICERS
    from services.tokens import mint

    secret = settings.signing_secret()
    print("Demo officers and their tokens (valid 12 hours):")
    for officer, name, agency, roles, _ in OFFICERS:
        token = mint(secret, officer=officer, agency=agency, roles=[r.value for r in roles])
        print(f"  {officer:<10} {name}  {agency:<15} {','.join(roles)}\n    {token}")
    admin = mint(secret, officer="demo-admin", agency="", roles=["admin"])
    print(f"  admin\n    {admin}")
    print('Try: curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/v1/cases')


if __name__ == "__main__":
    sys.exit(main())
