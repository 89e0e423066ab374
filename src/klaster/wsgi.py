"""WSGI entry point for gunicorn (`klaster serve`)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
application = get_wsgi_application()
# Import the URLconf (and with it every view, the API and its schemas) now, in gunicorn's master
# (--preload), rather than on the first visitor's request to each worker: about a second saved there.
get_resolver().url_patterns  # noqa: B018
