"""A record's own page, named once: `detail_url` is the URL name, `detail_arg` the field whose value
fills it (a child record opens its parent's page) and `detail_tab` the tab it opens on. A record
without a page answers "" (templates then show it without a link). `shown_by` names the field a
record is shown by (in lists, choices, links and the change log) when it needs no `__str__` of
its own."""

from __future__ import annotations

from django.urls import reverse


class RecordPage:
    detail_url: str = ""
    detail_arg: str = "pk"
    detail_tab: str = ""
    shown_by: str = ""

    def __str__(self) -> str:
        return str(getattr(self, self.shown_by)) if self.shown_by else super().__str__()

    def get_absolute_url(self) -> str:
        if not self.detail_url:
            return ""
        url = reverse(self.detail_url, args=[getattr(self, self.detail_arg)])
        return f"{url}?tab={self.detail_tab}" if self.detail_tab else url
