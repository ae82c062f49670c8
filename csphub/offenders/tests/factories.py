"""Builders for IOM tests: only what a test is about needs saying."""

from datetime import date
from itertools import count

from csphub.accounts.models import Partnership
from csphub.offenders.models import Nominal, Offence
from csphub.offenders.pseudonyms import pseudonymise

_numbers = count(1)


def haringey():
    return Partnership.objects.get(slug="haringey")


def make_nominal(partnership=None, **fields):
    number = next(_numbers)
    fields.setdefault("stream", Nominal.Stream.FIXED)
    fields.setdefault("selected_on", date(2015, 1, 10))
    return Nominal.objects.create(
        partnership=partnership or haringey(),
        reference_hash=pseudonymise(f"TEST/{number}"),
        code=f"T-{number:05d}",
        **fields,
    )


def make_offence(nominal, committed_on, proven_on=None, category="theft"):
    return Offence.objects.create(
        nominal=nominal,
        committed_on=committed_on,
        proven_on=proven_on or committed_on,
        category=category,
    )
