"""What management commands share: naming a partnership by its slug
(`partnership_named`), and the base of a command about one partnership
(`PartnershipCommand`)."""

from django.core.management.base import CommandError

from csphub.lib.commands import Command

from .models import Partnership


def partnership_named(slug):
    """The partnership with this slug; without one, a CommandError that exits
    with status 2 (bad input): "no partnership with slug 'x'"."""
    try:
        return Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise CommandError(f"no partnership with slug {slug!r}", returncode=2) from None


class PartnershipCommand(Command):
    """A command about one partnership, named by --partnership SLUG (before
    the options in `arguments`): handle() finds it and passes it on to
    handle_partnership(partnership, **options), as Django's AppCommand passes
    an app. With `partnership_required` False the option may be left out, and
    handle_partnership is given None. A slug that names no partnership stops
    the command, as every command says it: "no partnership with slug 'x'",
    exit status 2 (bad input)."""

    help = ""  # a base, not a command: each command's docstring is its help
    partnership_help = "partnership slug"
    partnership_required = True

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnership",
            required=self.partnership_required,
            help=self.partnership_help,
        )
        super().add_arguments(parser)

    def handle(self, *args, partnership, **options):
        if not partnership and not self.partnership_required:
            return self.handle_partnership(None, **options)
        return self.handle_partnership(partnership_named(partnership), **options)

    def handle_partnership(self, partnership, **options):
        raise NotImplementedError("a PartnershipCommand defines handle_partnership")
