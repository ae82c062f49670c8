from django.core.management.base import BaseCommand, CommandError

from csphub.accounts import backup as backups
from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit


class Command(BaseCommand):
    help = (
        "Write a consistent, compressed copy of the database (SQLite's online"
        " backup API, or pg_dump) and the uploaded files, while the site runs,"
        " to one .tar.gz file (default: CSPHUB_BACKUP_DIR). Not encrypted: keep"
        " backups on an encrypted volume. `manage.py restore` brings one back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="the file to write (.tar.gz)")
        parser.add_argument(
            "--no-media", action="store_true", help="leave the uploaded files out"
        )

    def handle(self, *args, out=None, no_media=False, **options):
        audit(AuditEntry.Action.BACKUP, reason="backup taken")
        try:
            result = backups.backup(out, media=not no_media)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {result.engine}: {result.tables} tables, {result.rows} rows,"
            f" {result.files} uploaded files to {result.path}"
        )
