"""The audit log's routes: the latest signed checkpoint, the key it is signed with, and the
proofs that an event is in the tree and that a tree extends an earlier one (RFC 9162 §2.1).
Proofs carry hashes only, so anyone authenticated may ask for them; the trail is in
audit_trail.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.api.deps import ActorDep, ContainerDep
from services.api.errors import ApiProblem
from services.api.openapi import ERRORS
from services.api.schemas.audit import (
    ConsistencyProofOut,
    InclusionProofOut,
    KeyOut,
)
from services.audit.checkpoints import SignedCheckpoint, b64
from services.audit.tree_store import TreeError
from services.bootstrap import Container
from services.contracts.audit import CheckpointMessage

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=ERRORS)
Size = Annotated[
    int | None, Query(ge=0, le=2**62, description="a tree size; default: the latest checkpoint's")
]


def latest_checkpoint(container: Container) -> SignedCheckpoint:
    latest = container.checkpoints().latest()
    if latest is None:
        raise ApiProblem(404, "audit.no_checkpoint", "the audit log has signed no checkpoint yet")
    return latest


def signed_size(container: Container, asked: int | None) -> int:
    """The tree size a proof is asked at: the one given, or the latest checkpoint's."""
    return latest_checkpoint(container).tree_size if asked is None else asked


@router.get("/checkpoint", response_model=CheckpointMessage)
def checkpoint(actor: ActorDep, container: ContainerDep) -> CheckpointMessage:
    """The latest signed checkpoint, as published on the audit topic."""
    return CheckpointMessage.model_validate(latest_checkpoint(container).message())


@router.get("/key", response_model=KeyOut)
def key(actor: ActorDep, container: ContainerDep) -> KeyOut:
    """The verifier key of the checkpoints' signatures."""
    settings = container.settings
    verifier = settings.audit_signer().verifier()
    return KeyOut(vkey=verifier.vkey(), suite=settings.audit_suite, origin=verifier.name)


@router.get("/proofs/inclusion", response_model=InclusionProofOut)
def inclusion(
    actor: ActorDep,
    container: ContainerDep,
    position: Annotated[int, Query(ge=1, le=2**62, description="the event's store position")],
    tree_size: Size = None,
) -> InclusionProofOut:
    """That the event at `position` is in the tree of `tree_size` leaves."""
    tree = container.audit_tree()
    size = signed_size(container, tree_size)
    leaf = tree.logged([position]).get(position)
    if leaf is None:
        raise ApiProblem(404, "audit.not_logged", f"the audit log has no event at {position} yet")
    if not leaf.index < size <= tree.size:
        raise ApiProblem(
            422,
            "audit.tree_size_invalid",
            f"the leaf is number {leaf.index}: a tree that holds it has more than {leaf.index}"
            f" leaves and at most the {tree.size} the log has",
        )
    proof = tree.inclusion_proof(leaf.index, size)
    return InclusionProofOut(
        position=position,
        leaf_index=leaf.index,
        tree_size=size,
        leaf_hash=b64(leaf.hash),
        proof=[b64(p) for p in proof],
    )


@router.get("/proofs/consistency", response_model=ConsistencyProofOut)
def consistency(
    actor: ActorDep,
    container: ContainerDep,
    first: Annotated[int, Query(ge=0, le=2**62, description="the earlier tree's size")],
    second: Size = None,
) -> ConsistencyProofOut:
    """That the tree of `first` leaves is a prefix of the tree of `second`."""
    tree = container.audit_tree()
    size = signed_size(container, second)
    if not first <= size:
        raise ApiProblem(422, "audit.tree_size_invalid", "`first` is larger than `second`")
    try:
        proof = tree.consistency_proof(first, size)
    except TreeError as error:
        raise ApiProblem(422, "audit.tree_size_invalid", str(error)) from None
    return ConsistencyProofOut(first=first, second=size, proof=[b64(p) for p in proof])
