"""What management commands share: naming a partnership by its slug."""

from django.core.management.base import CommandError

from .models import Partnership


def add_partnership_argument(parser):
    """The required --partnership SLUG option."""
    parser.add_argument("--partnership", required=True, help="partnership slug")


def partnership_named(slug):
    """The partnership with this slug; without one, a CommandError that
    exits with status 2 (bad input) and a one-line reason."""
    try:
        return Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise CommandError(f"no partnership with slug {slug!r}", returncode=2) from None
