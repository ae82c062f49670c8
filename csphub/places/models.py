"""The area tree: borough -> zone -> ward -> LSOA.

Boroughs, wards and LSOAs are ONS reference data shared by every partnership;
zones are a partnership's own grouping of its borough's wards.
"""

from django.db import models


class AreaQuerySet(models.QuerySet):
    def boroughs(self):
        """Local authority districts."""
        return self.filter(kind=Area.Kind.BOROUGH)

    def wards(self):
        """Electoral wards."""
        return self.filter(kind=Area.Kind.WARD)

    def lsoas(self):
        """Lower layer super output areas."""
        return self.filter(kind=Area.Kind.LSOA)

    def within(self, borough):
        """Wards and LSOAs of one borough (the borough itself excluded)."""
        return self.filter(models.Q(parent=borough) | models.Q(parent__parent=borough))


class Area(models.Model):
    """An ONS statistical or administrative area with its boundary."""

    class Kind(models.TextChoices):
        BOROUGH = "borough", "Borough"
        WARD = "ward", "Ward"
        LSOA = "lsoa", "LSOA"

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # A GeoJSON geometry (Polygon or MultiPolygon), WGS84 longitude/latitude.
    boundary = models.JSONField(null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Zone(models.Model):
    """A partnership's grouping of wards, such as Haringey's South zone."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="zones"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True)
    wards = models.ManyToManyField(Area, related_name="zones", blank=True)
    # Union of the wards' boundaries, kept in step by places.services.
    boundary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="zone_slug_unique_in_partnership"
            )
        ]

    def __str__(self):
        return self.name


class PlaceContactQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's contacts, with the organisation named."""
        return self.filter(partnership=partnership).select_related("organisation")


class PlaceContact(models.Model):
    """The named contact for a zone or a ward in one partnership: its lead
    officer, for which organisation, and how to reach them (Calderdale's
    single point of contact). The body that deals with the place is the
    ward's or zone's current group, read from the structure."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="contacts"
    )
    zone = models.OneToOneField(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="contact"
    )
    ward = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        limit_choices_to={"kind": Area.Kind.WARD},
    )
    lead_officer = models.CharField(
        max_length=200, help_text="A name, or a post such as 'Neighbourhood Manager'."
    )
    role = models.CharField("job title", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="place_contacts",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    how_to_reach = models.CharField(
        "other ways to reach them",
        max_length=300,
        blank=True,
        help_text="For example: a surgery every Tuesday at the library.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceContactQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone__isnull=False, ward__isnull=True)
                | models.Q(zone__isnull=True, ward__isnull=False),
                name="place_contact_for_a_zone_or_a_ward",
            ),
            models.UniqueConstraint(
                fields=["partnership", "ward"], name="one_contact_per_ward"
            ),
        ]

    def __str__(self):
        place = self.zone.name if self.zone_id else self.ward.name
        return f"{self.lead_officer}, contact for {place}"

    def has_a_way_to_reach(self):
        return bool(self.email or self.phone or self.how_to_reach)
