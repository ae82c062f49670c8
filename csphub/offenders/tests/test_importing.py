"""import_cohort and import_offences: pseudonymous, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from csphub.offenders.importing import CohortFileError, import_cohort, import_offences
from csphub.offenders.models import Nominal, Offence
from csphub.offenders.pseudonyms import pseudonymise

from .factories import haringey

pytestmark = pytest.mark.django_db

COHORT = (
    "reference,stream,risk_tier,selected_on,selection_reason,deselected_on,"
    "deselection_reason,lead_organisation,zone\n"
    "PNC/1001,fixed,High,2015-01-10,acquisitive,,,London Probation,south\n"
    "PNC/1002,flex,Medium,2015-02-01,violence,2015-09-01,moved,,North\n"
)


def write(tmp_path, text, name="cohort.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_cohort_is_stored_as_keyed_hashes_and_codes_only(tmp_path):
    call_command("import_cohort", "--partnership", "haringey", write(tmp_path, COHORT))
    nominals = Nominal.objects.filter(partnership=haringey(), synthetic=False).order_by(
        "selected_on"
    )
    assert nominals.count() == 2
    first = nominals[0]
    assert first.reference_hash == pseudonymise("PNC/1001")
    assert "1001" not in first.reference_hash and first.code.startswith("IOM-")
    assert first.zone.slug == "south" and first.lead_organisation.name == (
        "London Probation"
    )
    assert nominals[1].deselection_reason == "moved"


def test_reimport_updates_the_same_nominal(tmp_path):
    import_cohort(haringey(), COHORT.encode(), "a.csv")
    again = COHORT.replace("fixed,High", "free,Low")
    summary = import_cohort(haringey(), again.encode(), "b.csv")
    assert (summary.created, summary.updated) == (0, 2)
    assert Nominal.objects.get(code="IOM-00001").stream == "free"


@pytest.mark.parametrize(
    "column", ["name", "Surname", "first_name", "DOB", "date_of_birth", "Address 1",
               "postcode"],
)  # fmt: skip
def test_a_file_with_a_name_dob_or_address_column_is_refused_whole(tmp_path, column):
    text = (
        COHORT.replace("reference,", f"reference,{column},", 1)
        .replace("PNC/1001,", "PNC/1001,x,")
        .replace("PNC/1002,", "PNC/1002,y,")
    )
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command(
            "import_cohort", "--partnership", "haringey", write(tmp_path, text)
        )
    assert not Nominal.objects.filter(partnership=haringey(), synthetic=False).exists()
    with pytest.raises(CohortFileError, match="look like a name, date of birth"):
        import_cohort(haringey(), text.encode(), "c.csv")


def test_one_bad_row_stores_nothing(tmp_path):
    text = COHORT + "PNC/1003,sometimes,,2015-13-01,,,,,\n"
    with pytest.raises(CohortFileError) as caught:
        import_cohort(haringey(), text.encode(), "c.csv")
    assert "c.csv:4: stream 'sometimes'" in caught.value.errors[0]
    assert "c.csv:4: selected_on '2015-13-01' is not a date" in caught.value.errors[1]
    assert not Nominal.objects.filter(partnership=haringey(), synthetic=False).exists()


def test_a_name_in_the_reference_column_is_refused():
    text = "reference,stream,selected_on\nJohn Smith,fixed,2015-01-01\n"
    with pytest.raises(CohortFileError, match="not a name"):
        import_cohort(haringey(), text.encode(), "c.csv")


def test_unknown_columns_are_refused():
    text = "reference,stream,selected_on,ethnicity\nPNC/1,fixed,2015-01-01,x\n"
    with pytest.raises(CohortFileError, match="unknown column"):
        import_cohort(haringey(), text.encode(), "c.csv")


def test_dry_run_stores_nothing():
    import_cohort(haringey(), COHORT.encode(), "c.csv", dry_run=True)
    assert not Nominal.objects.filter(partnership=haringey(), synthetic=False).exists()


def test_offences_replace_the_extract_all_or_nothing():
    import_cohort(haringey(), COHORT.encode(), "c.csv")
    good = (
        "reference,committed_on,proven_on,category\n"
        "PNC/1001,2015-03-01,2015-04-01,theft\n"
        "PNC/1002,2015-05-01,2015-06-01,violence\n"
    )
    import_offences(haringey(), good.encode(), "o.csv")
    assert (
        Offence.objects.filter(
            nominal__partnership=haringey(), nominal__synthetic=False
        ).count()
        == 2
    )
    bad = good + "PNC/9999,2015-05-01,2015-04-01,burgling\n"
    with pytest.raises(CohortFileError) as caught:
        import_offences(haringey(), bad.encode(), "o2.csv")
    text = "; ".join(caught.value.errors)
    assert "o2.csv:4: category 'burgling'" in text
    assert "not in the cohort" in text and "proven_on is before committed_on" in text
    assert (
        Offence.objects.filter(
            nominal__partnership=haringey(), nominal__synthetic=False
        ).count()
        == 2
    )
    first = Offence.objects.filter(
        nominal__partnership=haringey(), nominal__synthetic=False
    ).first()
    assert first.committed_on == date(2015, 3, 1)


def test_offence_file_with_free_text_is_refused():
    text = "reference,committed_on,proven_on,category,notes\n"
    with pytest.raises(CohortFileError, match="unknown column"):
        import_offences(haringey(), text.encode(), "o.csv")


def test_without_a_key_nothing_is_pseudonymised(settings):
    settings.CSPHUB_IOM_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="CSPHUB_IOM_KEY"):
        import_cohort(haringey(), COHORT.encode(), "c.csv")


def test_another_key_gives_another_hash(settings):
    first = pseudonymise("PNC/1")
    settings.CSPHUB_IOM_KEY = "another"
    assert pseudonymise("PNC/1") != first
