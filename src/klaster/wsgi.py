"""WSGI entry point for gunicorn (`klaster serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
application = get_wsgi_application()
