"""The audit log's algorithm suites: SM3 against GB/T 32905-2016's examples, the RFC 9162 tree
over SM3, and signed notes with SM2 against GB/T 32918's published signature and GmSSL's own
verification."""

from __future__ import annotations

import base64
import hashlib
from typing import get_args

import gmssl_pyx
import pytest

from services.audit import merkle
from services.audit.merkle import SHA256
from services.audit.signed_note import (
    ED25519,
    SM2,
    Checkpoint,
    NoteError,
    NoteSigner,
    NoteVerifier,
    key_id,
    open_note,
)
from services.audit.suites import (
    SM3,
    SUITES,
    SuiteName,
    generate_signer,
    sm3_digest,
    suite,
)

# GB/T 32918.5-2017 Annex A (GM/T 0003.5-2012): a key on the recommended curve, and its
# signature of "message digest" with the default user id.
SPEC_PRIVATE = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
SPEC_PUBLIC = (
    "04"
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
SPEC_SIGNATURE = (
    "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)
TEXT = "liandong.example/120116\n8\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"


def test_sm3_gives_the_examples_of_the_standard():
    assert sm3_digest(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert sm3_digest(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_the_tree_over_sm3_hashes_leaves_and_nodes_with_their_prefixes():
    data = [b"a", b"b", b"c"]
    leaves = [SM3.leaf(d) for d in data]
    assert leaves == [sm3_digest(b"\x00" + d) for d in data]
    left = sm3_digest(b"\x01" + leaves[0] + leaves[1])
    assert merkle.root(SM3, leaves) == sm3_digest(b"\x01" + left + leaves[2])
    assert merkle.root(SM3, []) == sm3_digest(b"")
    assert merkle.root(SM3, leaves) != merkle.root(SHA256, [SHA256.leaf(d) for d in data])


def test_proofs_of_an_sm3_tree_verify_under_sm3_and_not_under_sha256():
    leaves = [SM3.leaf(bytes([i])) for i in range(7)]
    root = merkle.root(SM3, leaves)
    for index in range(7):
        proof = merkle.inclusion_proof(SM3, leaves, index)
        assert merkle.verify_inclusion(SM3, leaves[index], index, 7, proof, root)
        assert not merkle.verify_inclusion(SHA256, leaves[index], index, 7, proof, root)
    for first in range(1, 7):
        first_root = merkle.root(SM3, leaves[:first])
        proof = merkle.consistency_proof(SM3, leaves, first)
        assert merkle.verify_consistency(SM3, first, 7, first_root, root, proof)
        assert not merkle.verify_consistency(SHA256, first, 7, first_root, root, proof)


def test_the_suites_are_named_and_an_unknown_name_is_refused_naming_the_known_ones():
    assert set(SUITES) == set(get_args(SuiteName)) == {"sha256-ed25519", "sm3-sm2"}
    assert suite("sha256-ed25519").tree is SHA256
    assert suite("sha256-ed25519").signature is ED25519
    assert suite("sm3-sm2").tree is SM3
    assert suite("sm3-sm2").signature is SM2
    with pytest.raises(ValueError, match="sha256-ed25519, sm3-sm2"):
        suite("sha256-sm2")


def test_the_public_key_of_the_published_private_key_is_the_published_point():
    public = SM2.public_key(bytes.fromhex(SPEC_PRIVATE))
    assert public.hex().upper() == SPEC_PUBLIC


def test_the_published_signature_verifies_and_a_flipped_byte_does_not():
    public = bytes.fromhex(SPEC_PUBLIC)
    signature = bytes.fromhex(SPEC_SIGNATURE)
    assert SM2.verifies(public, b"message digest", signature)
    assert not SM2.verifies(public, b"message digesT", signature)
    flipped = signature[:40] + bytes([signature[40] ^ 1]) + signature[41:]
    assert not SM2.verifies(public, b"message digest", flipped)


def _sm2_signer(name: str = "liandong.example/audit") -> NoteSigner:
    return suite("sm3-sm2").signer(generate_signer(name, "sm3-sm2"))


def test_an_sm2_note_opens_with_its_verifier_key():
    signer = _sm2_signer()
    vkey = signer.verifier().vkey()
    note = signer.sign(TEXT)
    verifier = suite("sm3-sm2").verifier(vkey)
    assert open_note(note, verifier) == TEXT
    assert Checkpoint.parse(open_note(note, verifier)).size == 8
    assert NoteSigner.from_skey(signer.skey()) == signer


def test_an_sm2_key_is_typed_0xff_and_its_identifier_and_its_id_hashes_both():
    verifier = _sm2_signer().verifier()
    name, id_hex, material = verifier.vkey().split("+", 2)
    raw = base64.b64decode(material)
    assert raw[:17] == b"\xffliandong/sm2-sm3"
    assert len(raw) == 17 + 65 and raw[17] == 0x04
    assert bytes.fromhex(id_hex) == hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    assert bytes.fromhex(id_hex) == key_id(name, verifier.public_key, SM2)
    assert bytes.fromhex(id_hex) != key_id(name, verifier.public_key, ED25519)


def test_a_changed_text_another_key_or_a_flipped_signature_byte_is_refused():
    signer = _sm2_signer()
    verifier = signer.verifier()
    note = signer.sign(TEXT)
    with pytest.raises(NoteError):
        open_note(note.replace("\n8\n", "\n9\n"), verifier)
    with pytest.raises(NoteError):
        open_note(_sm2_signer().sign(TEXT), verifier)
    text, _, line = note.rpartition("\n\n")
    prefix, _, encoded = line.rpartition(" ")
    blob = bytearray(base64.b64decode(encoded))
    blob[-1] ^= 1
    with pytest.raises(NoteError, match="does not verify"):
        open_note(f"{text}\n\n{prefix} {base64.b64encode(blob).decode()}\n", verifier)


def test_a_vkey_with_a_wrong_id_or_an_off_curve_point_is_refused():
    vkey = _sm2_signer().verifier().vkey()
    name, id_hex, material = vkey.split("+", 2)
    wrong = f"{int(id_hex, 16) ^ 1:08x}"
    with pytest.raises(NoteError, match="id"):
        NoteVerifier.from_vkey(f"{name}+{wrong}+{material}")
    raw = bytearray(base64.b64decode(material))
    raw[-1] ^= 1
    off_curve = base64.b64encode(raw).decode()
    with pytest.raises(NoteError, match="public key"):
        NoteVerifier.from_vkey(f"{name}+{id_hex}+{off_curve}")


def test_an_sm2_skey_out_of_range_is_refused():
    for scalar in (0, 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122):
        material = base64.b64encode(SM2.type + scalar.to_bytes(32, "big")).decode()
        with pytest.raises(NoteError, match="private key"):
            NoteSigner.from_skey(f"PRIVATE+KEY+liandong.example/audit+00000000+{material}")


def _der(signature: bytes) -> bytes:
    integers = b""
    for half in (signature[:32], signature[32:]):
        value = half.lstrip(b"\x00")
        value = b"\x00" + value if value[0] >= 0x80 else value
        integers += bytes([0x02, len(value)]) + value
    return bytes([0x30, len(integers)]) + integers


def test_an_sm2_note_signature_verifies_with_gmssl_directly():
    signer = _sm2_signer()
    note = signer.sign(TEXT)
    blob = base64.b64decode(note.rpartition(" ")[2])
    assert len(blob) == 4 + 64
    public = signer.verifier().public_key[1:]
    assert gmssl_pyx.sm2_verify(public, TEXT.encode(), _der(blob[4:]))
    assert not gmssl_pyx.sm2_verify(public, TEXT.encode() + b"x", _der(blob[4:]))


def test_a_suite_refuses_a_key_of_the_other_signature_type():
    ed25519 = generate_signer("liandong.example/audit")
    assert suite("sha256-ed25519").signer(ed25519).algorithm is ED25519
    with pytest.raises(NoteError, match="sm3-sm2"):
        suite("sm3-sm2").signer(ed25519)
    sm2_vkey = _sm2_signer().verifier().vkey()
    with pytest.raises(NoteError, match="sha256-ed25519"):
        suite("sha256-ed25519").verifier(sm2_vkey)


def test_a_generated_ed25519_key_signs_notes_its_vkey_opens():
    signer = suite("sha256-ed25519").signer(generate_signer("liandong.example/audit"))
    assert signer.skey().startswith("PRIVATE+KEY+liandong.example/audit+")
    verifier = NoteVerifier.from_vkey(signer.verifier().vkey())
    assert open_note(signer.sign(TEXT), verifier) == TEXT
    with pytest.raises(NoteError):
        generate_signer("a name with spaces")
