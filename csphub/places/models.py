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
