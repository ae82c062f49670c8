from csphub.lib import commands
from csphub.web.demo import USERS, demo_password, load_demo


class Command(commands.Command):
    """Build the demo partnerships (Haringey, and Barnet for the outsider) from
    the source documents and shared/data. Idempotent: running it again keeps
    existing data and brings the demo up to date."""

    def handle(self, *args, **options):
        report = load_demo()
        for line in report.lines:
            self.stdout.write(line)
        for line in report.missing:
            self.stderr.write(self.style.WARNING(f"Missing: {line}"))
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (all with the password below):")
        for username, (_, _, org, slug, roles) in USERS.items():
            self.stdout.write(f"  {username:<9} {', '.join(roles):<8} {org} ({slug})")
        self.stdout.write(f"  password: {demo_password()}")
