"""Owner links of a workspace's audits, sealed so that only the workspace link opens them.

The database holds links only as hashes, yet a consultant's workspace must
show the owner link of each of its audits. So each workspace has an X25519
key pair:

- the public key is stored as it is; an audit's owner link is *sealed* to it
  (a fresh X25519 exchange, HKDF-SHA256, AES-GCM with the audit id as
  associated data). Whoever replaces the owner link (its owner, on the links
  page) can seal the new one; nobody can open it without the private key;
- the private key is stored encrypted (AES-GCM) under a key derived from the
  workspace link, which the database never holds. Rotating the workspace
  link re-encrypts the private key under the new link, and the old link
  then opens nothing.

A workspace link carries 256 random bits, so HKDF (no slow password hash)
is the right derivation. Errors never say which part failed.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from audit.store.errors import StoreError

_RAW = serialization.Encoding.Raw
_VERSION = b"\x01"
_NONCE = 12
_WRAP_INFO = b"touchpoint-audit/workspace-key/v1"
_SEAL_INFO = b"touchpoint-audit/owner-link/v1"


class SealBroken(StoreError):
    """A sealed value that this link cannot open (wrong link, damaged or moved value)."""


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def _private_raw(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def _wrap(private_raw: bytes, link: str) -> bytes:
    nonce = os.urandom(_NONCE)
    return _VERSION + nonce + AESGCM(_derive(link.encode("utf-8"), _WRAP_INFO)).encrypt(nonce, private_raw, _WRAP_INFO)


def _unwrap(wrapped: bytes, link: str) -> X25519PrivateKey:
    if wrapped[:1] != _VERSION:
        raise SealBroken("workspace_key_unreadable")
    nonce, body = wrapped[1 : 1 + _NONCE], wrapped[1 + _NONCE :]
    try:
        raw = AESGCM(_derive(link.encode("utf-8"), _WRAP_INFO)).decrypt(nonce, body, _WRAP_INFO)
    except InvalidTag:
        raise SealBroken("workspace_key_wrong_link") from None
    return X25519PrivateKey.from_private_bytes(raw)


def new_workspace_keys(link: str) -> tuple[bytes, bytes]:
    """A fresh key pair for a workspace: ``(public key, private key wrapped under link)``."""
    key = X25519PrivateKey.generate()
    return key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw), _wrap(_private_raw(key), link)


def rewrap(wrapped: bytes, old_link: str, new_link: str) -> bytes:
    """The workspace's private key, now under ``new_link`` (``old_link`` must open it)."""
    return _wrap(_private_raw(_unwrap(wrapped, old_link)), new_link)


def seal(public_key: bytes, secret: str, audit_id: str) -> bytes:
    """``secret`` sealed to the workspace's public key, bound to ``audit_id``."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    sender = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    nonce = os.urandom(_NONCE)
    body = AESGCM(_derive(shared + sender, _SEAL_INFO)).encrypt(nonce, secret.encode("utf-8"), audit_id.encode("utf-8"))
    return _VERSION + sender + nonce + body


def unseal(wrapped: bytes, link: str, sealed: bytes, audit_id: str) -> str:
    """The secret of :func:`seal`, opened with the workspace link (raises :class:`SealBroken`)."""
    private = _unwrap(wrapped, link)
    if sealed[:1] != _VERSION or len(sealed) < 1 + 32 + _NONCE + 16:
        raise SealBroken("sealed_link_unreadable")
    sender, nonce, body = sealed[1:33], sealed[33 : 33 + _NONCE], sealed[33 + _NONCE :]
    shared = private.exchange(X25519PublicKey.from_public_bytes(sender))
    try:
        plain = AESGCM(_derive(shared + sender, _SEAL_INFO)).decrypt(nonce, body, audit_id.encode("utf-8"))
    except InvalidTag:
        raise SealBroken("sealed_link_wrong_link") from None
    return plain.decode("utf-8")
