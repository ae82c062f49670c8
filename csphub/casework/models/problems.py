"""Problems linked across groups: several action-log issues seen as one
problem (Zonal Working terms of reference 3c: "link up across wards")."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .issues import Issue
from .projects import Project


class LinkedProblem(models.Model):
    """One problem that shows on several groups' action logs: each group keeps
    its own issue; the zone above sees them as one row, and one
    problem-solving project may cover them all."""

    partnership = models.ForeignKey(
        "accounts.Partnership",
        on_delete=models.CASCADE,
        related_name="linked_problems",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_problems",
        help_text="The problem-solving project that covers every linked issue.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casework:problem-detail", args=[self.pk])


class ProblemLink(models.Model):
    """An issue's place in a linked problem (an issue is in at most one)."""

    problem = models.ForeignKey(
        LinkedProblem, on_delete=models.CASCADE, related_name="links"
    )
    issue = models.OneToOneField(
        Issue, on_delete=models.CASCADE, related_name="problem_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["problem", "linked_at", "pk"]

    def __str__(self):
        return f"{self.issue} in {self.problem}"
