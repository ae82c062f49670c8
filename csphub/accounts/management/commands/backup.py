import os

from django.core.management.base import CommandError

from csphub.accounts import backup as backups
from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.lib import commands


class Command(commands.Command):
    """Write a consistent, compressed copy of the database (SQLite's online
    backup API, or pg_dump) and the uploaded files, while the site runs, to
    one .tar.gz file (default: CSPHUB_BACKUP_DIR); --encrypt encrypts it with
    the passphrase in CSPHUB_BACKUP_PASSPHRASE (AES-256-GCM).
    `manage.py restore` brings one back."""

    arguments = {
        "--out": {"help": "the file to write (.tar.gz)"},
        "--no-media": commands.flag("leave the uploaded files out"),
        "--encrypt": commands.flag(
            "encrypt with the passphrase in CSPHUB_BACKUP_PASSPHRASE"
        ),
    }

    def handle(self, *args, out=None, no_media=False, encrypt=False, **options):
        passphrase = os.environ.get("CSPHUB_BACKUP_PASSPHRASE", "")
        if encrypt and not passphrase:
            raise CommandError(
                "--encrypt needs a passphrase: set CSPHUB_BACKUP_PASSPHRASE"
                " (and keep it apart from the backups)."
            )
        audit(AuditEntry.Action.BACKUP, reason="backup taken")
        try:
            result = backups.backup(
                out, media=not no_media, passphrase=passphrase if encrypt else None
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {result.engine}: {result.tables} tables, {result.rows} rows,"
            f" {result.files} uploaded files to {result.path}"
        )
