"""Forms for loading incident data."""

from django import forms

from csphub.govuk import GovukForm

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CrimeUploadForm(GovukForm):
    """Upload one data.police.uk street-level CSV file."""

    file = forms.FileField(
        label="Street-level crime file",
        help_text=(
            "A data.police.uk street-level CSV as downloaded, for example"
            " 2018-06-metropolitan-street.csv. One force and month a file."
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError(
                f"{uploaded.name} is not a CSV file: choose the .csv file"
                " from the police.uk download"
            )
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{uploaded.name} is larger than 50 MB: a street-level file for"
                " one force and month is far smaller; check it is the right file"
            )
        return uploaded
