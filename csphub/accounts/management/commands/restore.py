import os

from django.core.management.base import CommandError

from csphub.accounts import backup as backups
from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.lib import commands


class Command(commands.Command):
    """Bring back a backup made by `manage.py backup`: replaces the whole
    database with the backup's and writes its uploaded files back. --dry-run
    only checks the file and says what it holds. An encrypted backup needs its
    passphrase in CSPHUB_BACKUP_PASSPHRASE."""

    arguments = {
        "path": {"help": "the backup file (.tar.gz)"},
        "--dry-run": commands.flag("check only"),
        "--no-media": commands.flag("leave the uploaded files be"),
    }

    def handle(self, *args, path, dry_run=False, no_media=False, **options):
        try:
            manifest = backups.restore(
                path,
                media=not no_media,
                dry_run=dry_run,
                passphrase=os.environ.get("CSPHUB_BACKUP_PASSPHRASE") or None,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["tables"]
        summary = (
            f"{len(tables)} tables, {sum(tables.values())} rows,"
            f" {manifest['media_files']} uploaded files, taken {manifest['created']}"
        )
        if dry_run:
            self.stdout.write(f"Would restore {manifest['engine']}: {summary}")
            return
        audit(AuditEntry.Action.BACKUP, reason=f"Restored from {path}: {summary}")
        self.stdout.write(f"Restored {manifest['engine']}: {summary}")
