"""Strategies, their priorities and outcomes, and who leads each priority.

The plan that delivers them (objectives, activities, updates, spend, risks)
is `csphub.delivery`, above casework; this app stays low so every app may
name a priority."""

from django.db import models


class Strategy(models.Model):
    """A partnership's community safety strategy for a period."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="strategies"
    )
    name = models.CharField(max_length=200)
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    published = models.BooleanField(
        default=True, help_text="Shown on the public strategy page."
    )

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
    wording = models.CharField(
        "as the strategy words it",
        max_length=300,
        blank=True,
        help_text="The priority's full wording in the strategy, if longer.",
    )
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_priorities",
        help_text="The named person who answers to the board for this priority.",
    )
    allocated_leads = models.ManyToManyField(
        "accounts.Organisation",
        related_name="allocated_priorities",
        blank=True,
        verbose_name="allocated lead organisations",
        help_text="The lead agency or agencies the strategy names.",
    )
    actual_leads = models.ManyToManyField(
        "accounts.Organisation",
        related_name="led_priorities",
        blank=True,
        verbose_name="leads in practice",
        help_text="The organisations actually driving the work.",
    )
    actual_lead_note = models.CharField(
        "how the lead works in practice",
        max_length=200,
        blank=True,
        help_text="e.g. 'supported by Probation Service and Metropolitan Police'.",
    )

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

    def full_name(self):
        return self.wording or self.name

    def lead_gap(self):
        """Whether the leads in practice differ from the allocated leads
        (reads both many-to-manys: prefetch them on lists)."""
        allocated = {o.pk for o in self.allocated_leads.all()}
        actual = {o.pk for o in self.actual_leads.all()}
        return bool(allocated or actual) and allocated != actual


class Outcome(models.Model):
    """An outcome a priority is to achieve."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="outcomes"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name
