"""Signed notes and checkpoints against the published vectors of c2sp.org/signed-note and
golang.org/x/mod/sumdb/note (Ed25519 is deterministic: signing the text again gives the
published note byte for byte)."""

from __future__ import annotations

import pytest

from services.audit.signed_note import (
    ED25519,
    Checkpoint,
    NoteError,
    NoteSigner,
    NoteVerifier,
    open_note,
)

SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
SIGNATURE = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
NOTE = f"{TEXT}\n— PeterNeumann {SIGNATURE}\n"
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n— example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_signing_the_published_text_with_the_published_key_gives_the_published_note():
    signer = NoteSigner.from_skey(SKEY)
    assert signer.verifier().vkey() == VKEY
    assert signer.sign(TEXT) == NOTE


def test_the_published_notes_open_with_their_verifier_keys():
    assert open_note(NOTE, NoteVerifier.from_vkey(VKEY)) == TEXT
    assert (
        open_note(SPEC_NOTE, NoteVerifier.from_vkey(SPEC_VKEY)) == "This is an example message.\n"
    )


def test_a_changed_text_another_key_or_a_forged_id_is_refused():
    verifier = NoteVerifier.from_vkey(VKEY)
    with pytest.raises(NoteError):
        open_note(NOTE.replace("cryptography", "cryptographY"), verifier)
    with pytest.raises(NoteError):
        open_note(NOTE, NoteVerifier.from_vkey(SPEC_VKEY))
    with pytest.raises(NoteError):
        NoteVerifier.from_vkey(VKEY.replace("c74f20a3", "c74f20a4"))
    other = NoteSigner("PeterNeumann", ED25519.generate())
    with pytest.raises(NoteError):
        open_note(other.sign(TEXT), verifier)


def test_a_checkpoint_is_origin_size_and_root_and_reads_back():
    checkpoint = Checkpoint("liandong.example/120116", 8, bytes(range(32)))
    text = checkpoint.text()
    assert text.splitlines()[:2] == ["liandong.example/120116", "8"]
    signer = NoteSigner.from_skey(SKEY)
    opened = open_note(signer.sign(text), signer.verifier())
    assert Checkpoint.parse(opened) == checkpoint
    with pytest.raises(NoteError):
        Checkpoint.parse("liandong.example/120116\n08\nAAAA\n")
