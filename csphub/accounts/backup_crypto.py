"""Encrypting a backup file with a passphrase (`manage.py backup --encrypt`).

The file is read and written in 1 MiB chunks, so a large database needs no
more memory than a chunk. Layout: MAGIC, a 16-byte salt, an 8-byte nonce
prefix, then chunks, each a 4-byte big-endian length and its AES-256-GCM
ciphertext (tag included). The key comes from the passphrase by scrypt with
the salt; each chunk's nonce is the prefix and its 4-byte number, and its
associated data says whether it is the last chunk, so a file cut short, a
chunk moved or a wrong passphrase is refused, never restored in part.
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"CSPHUB-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
LAST, MORE = b"last", b"more"


class DecryptError(ValueError):
    """A wrong passphrase, or a file that is not whole."""


def is_encrypted(path):
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(passphrase, salt):
    if not passphrase:
        raise ValueError("an encrypted backup needs a passphrase")
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )


def encrypt_file(source, target, passphrase):
    """Write `source` encrypted with `passphrase` to `target`."""
    salt, prefix = os.urandom(16), os.urandom(8)
    aead = AESGCM(_key(passphrase, salt))
    with open(source, "rb") as src, open(target, "wb") as out:
        out.write(MAGIC + salt + prefix)
        number, chunk = 0, src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            nonce = prefix + struct.pack(">I", number)
            sealed = aead.encrypt(nonce, chunk, MORE if following else LAST)
            out.write(struct.pack(">I", len(sealed)) + sealed)
            if not following:
                break
            number, chunk = number + 1, following


def decrypt_file(source, target, passphrase):
    """Write `source` decrypted to `target`; DecryptError when the
    passphrase is wrong or the file is not whole (target is then removed)."""
    try:
        with open(source, "rb") as src, open(target, "wb") as out:
            if src.read(len(MAGIC)) != MAGIC:
                raise DecryptError("not an encrypted CSP Hub backup")
            salt, prefix = src.read(16), src.read(8)
            aead = AESGCM(_key(passphrase, salt))
            number = 0
            while True:
                head = src.read(4)
                if len(head) < 4:
                    raise DecryptError("the file ends before its last part")
                sealed = src.read(struct.unpack(">I", head)[0])
                nonce = prefix + struct.pack(">I", number)
                last = not src.peek(1)
                try:
                    out.write(aead.decrypt(nonce, sealed, LAST if last else MORE))
                except InvalidTag:
                    raise DecryptError(
                        "the passphrase is wrong, or the file has been changed"
                    ) from None
                if last:
                    return
                number += 1
    except DecryptError:
        os.unlink(target)
        raise
