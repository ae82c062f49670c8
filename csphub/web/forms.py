"""Forms of the web app's own pages: the named contact for a zone or ward."""

from csphub.accounts.forms import partner_organisations
from csphub.govuk import GovukModelForm
from csphub.places.models import PlaceContact


class PlaceContactForm(GovukModelForm):
    """The lead officer of a zone or ward, and how to reach them."""

    class Meta:
        model = PlaceContact
        fields = ["lead_officer", "role", "organisation", "email", "phone"]
        fields += ["how_to_reach"]

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations(partnership)
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the right form, like name@example.org"
        )
