#!/usr/bin/env python3
"""Test vectors of the backup archive formats, from their specification in
docs/backup-and-restore.md ("The formats, frozen"), by an implementation independent of the
service's Java code: Python's `cryptography` package (AES-GCM, HMAC, HKDF).

Run once to write segmented-encryption.json and archive-mac.json beside this file; the files are
committed and never regenerated for a format that has shipped (FrozenFormatVectorsTest checks the
Java code against them). Deterministic: keys, salts and plaintexts are derived from fixed seeds.
"""
import hashlib
import hmac
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"GSB1"
SEGMENT_KEY_LABEL = b"guardian-store-backup/segment-key"
KEY_CHECK_LABEL = b"guardian-store-backup/key-check"


def seeded(label, length):
    """Deterministic bytes: SHA-256 in counter mode over a label."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(label.encode() + struct.pack(">I", counter)).digest()
        counter += 1
    return out[:length]


def segments(plain, size):
    """Every segment but the last holds exactly `size` bytes; the last the rest (maybe none)."""
    parts = [plain[i:i + size] for i in range(0, len(plain), size)] or [b""]
    return parts


def encrypt(key, salt, context, size, plain, drop_last_flag=False):
    segment_key = hmac.new(key, SEGMENT_KEY_LABEL + salt, hashlib.sha256).digest()
    aead = AESGCM(segment_key)
    out = MAGIC + salt
    parts = segments(plain, size)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1 and not drop_last_flag
        nonce = b"\0\0\0\0" + struct.pack(">Q", (index << 1) | int(last))
        aad = context.encode() + struct.pack(">Q", index) + bytes([int(last)])
        out += aead.encrypt(nonce, part, aad)
    return out


def key_check(key):
    return hmac.new(key, KEY_CHECK_LABEL, hashlib.sha256).digest()[:8].hex()


def segmented_vectors():
    cases = []
    key = seeded("key", 32)
    salt = seeded("salt", 16)
    context = "guardian-store-backup/interactions.jsonl.gz.enc"
    for name, size, length in [
        ("empty stream: one empty last segment", 16, 0),
        ("one byte", 16, 1),
        ("exactly one segment", 16, 16),
        ("one segment and one byte", 16, 17),
        ("exactly three segments", 16, 48),
        ("several segments, a partial last", 64, 1000),
        ("archive-sized segments", 4096, 10000),
    ]:
        plain = seeded("plain-%d" % length, length)
        cases.append({
            "name": name,
            "key": key.hex(),
            "salt": salt.hex(),
            "context": context,
            "segmentBytes": size,
            "plaintext": plain.hex(),
            "ciphertext": encrypt(key, salt, context, size, plain).hex(),
            "keyCheck": key_check(key),
        })
    # Streams that must not open: each is what an attacker or damage could make of a valid one.
    plain = seeded("plain-48", 48)
    valid = encrypt(key, salt, context, 16, plain)
    sealed = 16 + 16
    header = 20
    failing = [
        ("cut after a segment boundary (no segment says it is the last)",
         valid[:header + 2 * sealed]),
        ("last flag never set", encrypt(key, salt, context, 16, plain, drop_last_flag=True)),
        ("segments 0 and 1 swapped",
         valid[:header] + valid[header + sealed:header + 2 * sealed]
         + valid[header:header + sealed] + valid[header + 2 * sealed:]),
        ("one bit flipped in segment 1",
         valid[:header + sealed + 3] + bytes([valid[header + sealed + 3] ^ 1])
         + valid[header + sealed + 4:]),
        ("another context (entry)",
         encrypt(key, salt, "guardian-store-backup/sessions.jsonl.gz.enc", 16, plain)),
    ]
    must_fail = [{
        "name": name,
        "key": key.hex(),
        "context": context,
        "segmentBytes": 16,
        "ciphertext": bad.hex(),
    } for name, bad in failing]
    return {"format": "GSB1", "valid": cases, "mustFail": must_fail}


def archive_mac_vectors():
    import base64
    audit_key = seeded("audit-key", 32)
    derived = HKDF(hashes.SHA256(), 32, None, b"guardian-store-backup/archive-mac").derive(audit_key)
    key_id = hashlib.sha256(
        hmac.new(derived, b"guardian-store-backup/key-id", hashlib.sha256).digest()).digest()[:8]
    backup_id = "gs-20261205T100000Z-k3j4h5g6"
    manifest = ('{"format":"guardian-store-backup/2","backupId":"%s","entries":[]}' % backup_id)
    mac = hmac.new(derived, backup_id.encode() + b"\0" + manifest.encode(), hashlib.sha256)
    return {
        "auditKey": base64.b64encode(audit_key).decode(),
        "purpose": "guardian-store-backup/archive-mac",
        "archiveKey": derived.hex(),
        "keyId": key_id.hex(),
        "backupId": backup_id,
        "manifest": manifest,
        "mac": mac.hexdigest(),
    }


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "segmented-encryption.json"), "w") as f:
        json.dump(segmented_vectors(), f, indent=2)
        f.write("\n")
    with open(os.path.join(here, "archive-mac.json"), "w") as f:
        json.dump(archive_mac_vectors(), f, indent=2)
        f.write("\n")
