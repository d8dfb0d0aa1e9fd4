"""A list export too large to write while the user waits (issue 15 §6): the task worker writes it
(core.tasks.export_list), the page shows its progress, and its owner downloads it when done."""

from __future__ import annotations

from django.db import models

from .people import OwnRowsQuerySet
from .people import User


class ExportJobQuerySet(OwnRowsQuerySet):
    def oversees(self, profile, user) -> bool:
        return False  # an export holds what its owner may read: no one else sees it


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the task worker"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    path = models.CharField(max_length=500, help_text="The list page exported.")
    query = models.TextField(blank=True, help_text="Its filters, sort and format.")
    format = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_expected = models.PositiveIntegerField(
        default=0, help_text="The rows counted when it was asked for."
    )
    note = models.TextField(blank=True, help_text="What the file leaves out, if anything.")
    marking_text = models.CharField(max_length=200, blank=True)
    # The owner's access version when asked for (core.access): a file written under access the
    # owner no longer holds is not handed out.
    access_version = models.BigIntegerField()
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.format.upper()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("export-job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.rows_done // self.rows_expected) if self.rows_expected else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED
