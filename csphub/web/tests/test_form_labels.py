"""Optional fields say so once (the GOV.UK form mixin adds "(optional)"), and
no optional field's label claims it is required (issue 20, item 2)."""

import re
from pathlib import Path

import csphub

LABEL = re.compile(r'label="([^"]*)"')


def test_no_form_writes_optional_or_required_into_a_label():
    found = []
    for path in Path(csphub.__file__).parent.rglob("forms.py"):
        for label in LABEL.findall(path.read_text()):
            if re.search(r"\((optional|required)\b", label, re.I):
                found.append(f"{path.parent.name}: {label}")
    assert found == []


def test_the_rating_form_says_optional_once_and_when_a_field_is_needed():
    from csphub.performance.forms import BoardReportForm, RatingForm

    html = str(RatingForm())
    assert "Commentary (optional)" in html
    assert "Needed when the rating is red or amber." in html
    assert "(optional) (optional)" not in html
    assert "Why the board will not see it (optional)" in str(BoardReportForm())
