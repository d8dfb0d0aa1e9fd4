"""Static files' storage: Django's, its URLs computed once per name (issue 15, the stack floor).

Every page asks `{% static %}` for the same dozen files (USWDS, htmx, icons): each answer is the
same join of STATIC_URL and the name for as long as this storage lives (a change of STATIC_URL or
STORAGES makes Django build a new one), so it is kept instead of worked out again per page.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage

# Names come from templates, not from requests; the bound only keeps a mistake from growing it.
MAX_URLS = 1024


class UrlOnceStaticFilesStorage(StaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name):
        found = self._urls.get(name)
        if found is None:
            found = super().url(name)
            if len(self._urls) < MAX_URLS:
                self._urls[name] = found
        return found
