"""Strategies and their priorities (delivery plans, leads and spend arrive later)."""

from django.db import models


class Strategy(models.Model):
    """A partnership's community safety strategy for a period."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="strategies"
    )
    name = models.CharField(max_length=200)
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts", "name"]
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.name


class PriorityQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's priorities, in their order."""
        return self.filter(partnership=partnership).order_by("order", "name")


class Priority(models.Model):
    """A priority or theme of a partnership's strategy, such as Reoffending."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="priorities"
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    description = models.TextField(blank=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"],
                name="priority_slug_unique_in_partnership",
            )
        ]

    def __str__(self):
        return self.name
