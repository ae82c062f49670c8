"""Backups of the whole site while it runs: the database and uploaded files.

A backup is one gzip-compressed tar file holding
- `manifest.json`: when, which database engine, each table's row count;
- the database: `database.sqlite3`, copied with SQLite's online backup API
  (a consistent snapshot while others read and write), or `database.pgdump`,
  pg_dump's custom format (one consistent snapshot; compressed);
- `media/`: the uploaded files (MEDIA_ROOT).

With a passphrase (`manage.py backup --encrypt`, the passphrase in
CSPHUB_BACKUP_PASSPHRASE) the whole file is encrypted with AES-256-GCM under a
key derived from it by scrypt (`backup_crypto`); `restore` needs the same
passphrase and refuses a file that is cut short or changed. Without one, a
backup is protected only by where it is kept.

`restore` checks the file, then brings the database back (SQLite: the online
backup API again, so the database file is replaced in one step; PostgreSQL:
pg_restore --clean in one transaction) and writes the uploaded files back.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from . import backup_crypto

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    tables: int
    rows: int
    files: int


def table_counts():
    """{table: rows} for every table of the database."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def default_path(encrypted=False):
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".tar.gz.enc" if encrypted else ".tar.gz"
    return Path(settings.CSPHUB_BACKUP_DIR) / f"csphub-{stamp}{suffix}"


def backup(path=None, *, media=True, passphrase=None):
    """Write a backup to `path` (default: CSPHUB_BACKUP_DIR), encrypted with
    `passphrase` when one is given (backup_crypto), and return what it
    holds."""
    path = Path(path or default_path(encrypted=bool(passphrase)))
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    counts = table_counts()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / (SQLITE_NAME if vendor == "sqlite" else PG_NAME)
        _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgres(dump)
        media_root = Path(settings.MEDIA_ROOT)
        files = _media_files(media_root) if media else []
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "created": timezone.now().isoformat(),
            "tables": counts,
            "media_files": len(files),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            tar.add(dump, arcname=dump.name)
            for file in files:
                tar.add(file, arcname=f"media/{file.relative_to(media_root)}")
        if passphrase:
            sealed = path.with_name(path.name + ".sealing")
            backup_crypto.encrypt_file(partial, sealed, passphrase)
            os.replace(sealed, partial)
        os.replace(partial, path)  # a backup is complete or absent, never half
    os.chmod(path, 0o600)
    return BackupResult(path, vendor, len(counts), sum(counts.values()), len(files))


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _media_files(root):
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sqlite_path():
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return name


def _dump_sqlite(dump):
    source = sqlite3.connect(_sqlite_path())
    target = sqlite3.connect(dump)
    try:
        with target:
            source.backup(target)  # online: a consistent copy while others write
    finally:
        target.close()
        source.close()


def _pg_env_args():
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args, str(db["NAME"])


def _pg_tool(name):
    folder = Path(getattr(settings, "CSPHUB_PG_BIN", ""))
    if (folder / name).exists():
        return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: set CSPHUB_PG_BIN to its folder.")
    return found


def _run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{Path(args[0]).name} failed: {last}")


def _dump_postgres(dump):
    env, args, name = _pg_env_args()
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(dump),
            name,
        ],
        env,
    )


@contextmanager
def _plain(path, passphrase, work):
    """The backup as a plain .tar.gz: itself, or decrypted into `work`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if not backup_crypto.is_encrypted(path):
        yield path
        return
    if not passphrase:
        raise BackupError(
            f"{path.name} is encrypted: give its passphrase (CSPHUB_BACKUP_PASSPHRASE)."
        )
    plain = Path(work) / "backup.tar.gz"
    try:
        backup_crypto.decrypt_file(path, plain, passphrase)
    except backup_crypto.DecryptError as error:
        raise BackupError(f"{path.name} cannot be decrypted: {error}.") from None
    yield plain


def read_manifest(path, passphrase=None):
    """The backup's manifest, or BackupError saying what is wrong with it."""
    with tempfile.TemporaryDirectory() as work, _plain(path, passphrase, work) as plain:
        return _read_manifest(plain, Path(path).name)


def _read_manifest(path, name):
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{name} is not a CSP Hub backup ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{name} has an unknown backup format.")
    return manifest


def restore(path, *, media=True, dry_run=False, passphrase=None):
    """Bring a backup back into the configured database (and MEDIA_ROOT).
    Returns the manifest; with dry_run only checks the file."""
    with tempfile.TemporaryDirectory() as work, _plain(path, passphrase, work) as plain:
        manifest = _read_manifest(plain, Path(path).name)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this site uses"
                f" {connection.vendor}."
            )
        if dry_run:
            return manifest
        _restore_from(plain, manifest, media)
    return manifest


def _restore_from(path, manifest, media):
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        tar.extractall(work, members=members, filter="data")
        connections.close_all()
        if manifest["engine"] == "sqlite":
            _restore_sqlite(Path(work) / SQLITE_NAME)
        else:
            _restore_postgres(Path(work) / PG_NAME)
        if media:
            _restore_media(Path(work) / "media")
    return manifest


def _restore_sqlite(dump):
    live = _sqlite_path()
    Path(live).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(live, timeout=30)
    try:
        source.backup(target)  # replaces every page in one step
    finally:
        target.close()
        source.close()


def _restore_postgres(dump):
    env, args, name = _pg_env_args()
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            "--dbname",
            name,
            str(dump),
        ],
        env,
    )


def _restore_media(folder):
    if not folder.is_dir():
        return
    root = Path(settings.MEDIA_ROOT)
    for file in folder.rglob("*"):
        if file.is_file():
            target = root / file.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
