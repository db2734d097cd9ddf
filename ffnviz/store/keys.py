"""Class codes, teacher PINs and session tokens: how they are drawn and how they are kept.

A code is short and read aloud (no 0/O, 1/I/L); a PIN is ≥ 10 random characters, stored only as a
salted scrypt hash; a token (a browser's cookie) is 32 random bytes, stored as its SHA-256 (it
is already unguessable, so a slow hash would only cost time on every request).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PIN_LENGTH = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """What a student typed, as codes are written: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[:12]


def new_pin() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PIN_LENGTH))


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.strip().upper().encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        _, salt, _digest = stored.split("$")
        return hmac.compare_digest(hash_pin(pin, bytes.fromhex(salt)), stored)
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()
