"""Encrypted backups: what goes in comes out with the passphrase, and a wrong
passphrase, a cut file or moved parts are refused with nothing written."""

import os

import pytest

from csphub.accounts import backup_crypto


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(backup_crypto, "CHUNK", 1000)


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "backup.tar.gz"
    path.write_bytes(os.urandom(4500))  # five chunks of 1,000 bytes or fewer
    return path


def test_round_trip_over_several_chunks(small_chunks, plain, tmp_path):
    sealed, back = tmp_path / "sealed", tmp_path / "back"
    backup_crypto.encrypt_file(plain, sealed, "correct horse battery staple")
    assert backup_crypto.is_encrypted(sealed) and not backup_crypto.is_encrypted(plain)
    assert plain.read_bytes()[:64] not in sealed.read_bytes()
    backup_crypto.decrypt_file(sealed, back, "correct horse battery staple")
    assert back.read_bytes() == plain.read_bytes()


def test_an_empty_file_round_trips(tmp_path):
    empty, sealed, back = tmp_path / "e", tmp_path / "s", tmp_path / "b"
    empty.write_bytes(b"")
    backup_crypto.encrypt_file(empty, sealed, "pass")
    backup_crypto.decrypt_file(sealed, back, "pass")
    assert back.read_bytes() == b""


def test_a_wrong_passphrase_is_refused_and_writes_nothing(
    small_chunks, plain, tmp_path
):
    sealed, back = tmp_path / "sealed", tmp_path / "back"
    backup_crypto.encrypt_file(plain, sealed, "right")
    with pytest.raises(backup_crypto.DecryptError, match="passphrase is wrong"):
        backup_crypto.decrypt_file(sealed, back, "wrong")
    assert not back.exists()


@pytest.mark.parametrize("cut", [1, 500, 1020])
def test_a_file_cut_short_is_refused(small_chunks, plain, tmp_path, cut):
    sealed, back = tmp_path / "sealed", tmp_path / "back"
    backup_crypto.encrypt_file(plain, sealed, "pass")
    sealed.write_bytes(sealed.read_bytes()[:-cut])
    with pytest.raises(backup_crypto.DecryptError):
        backup_crypto.decrypt_file(sealed, back, "pass")
    assert not back.exists()


def test_parts_moved_or_dropped_are_refused(small_chunks, plain, tmp_path):
    sealed, back = tmp_path / "sealed", tmp_path / "back"
    backup_crypto.encrypt_file(plain, sealed, "pass")
    data = sealed.read_bytes()
    head = len(backup_crypto.MAGIC) + 24
    part = 4 + 1000 + 16  # length, a full chunk, its tag
    first, second = data[head : head + part], data[head + part : head + 2 * part]
    swapped = data[:head] + second + first + data[head + 2 * part :]
    sealed.write_bytes(swapped)
    with pytest.raises(backup_crypto.DecryptError):
        backup_crypto.decrypt_file(sealed, back, "pass")
    dropped = data[:head] + data[head + part :]  # the first chunk gone
    sealed.write_bytes(dropped)
    with pytest.raises(backup_crypto.DecryptError):
        backup_crypto.decrypt_file(sealed, back, "pass")
    truncated_at_a_boundary = data[: head + part]  # the last chunk said "more"
    sealed.write_bytes(truncated_at_a_boundary)
    with pytest.raises(backup_crypto.DecryptError):
        backup_crypto.decrypt_file(sealed, back, "pass")
