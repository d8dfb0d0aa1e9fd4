import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
application = get_wsgi_application()

# A WSGI server started by hand runs no system checks: refuse the development key with DEBUG off here
# too (secoop.E002), as `secoop serve` does before it starts gunicorn.
from secoop.core.checks import check_secret_key  # noqa: E402

if errors := check_secret_key(None):
    raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
