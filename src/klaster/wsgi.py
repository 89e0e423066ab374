"""WSGI entry point for gunicorn (`klaster serve`)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
application = get_wsgi_application()
# Import the URLconf (and with it every view, the API and its schemas) now, in gunicorn's master
# (--preload), rather than on the first visitor's request to each worker: about a second saved there.
get_resolver().url_patterns  # noqa: B018

# Build the rules' tax-benefit system (parameters, variables, the built-in scenarios) here too: each
# worker inherits it on fork instead of spending ~1 s on it at its first profile page (a p95 spike).
from klaster.rules.contract import EvalInput, evaluate  # noqa: E402
from klaster.rules.reforms.scenario import built_in_names, system_for  # noqa: E402

evaluate(EvalInput.model_validate({"date": "2026-01-01", "firms": [{"id": "warm-up"}]}))
for _name in built_in_names():
    system_for(_name)

# Compile every page and widget template too (~100 ms at each page's first visit to each worker).
from klaster.web.warmup import compile_templates  # noqa: E402

compile_templates()

# Last: move everything loaded so far out of the garbage collector's sight. A full collection walked
# these ~170 000 long-lived objects (the rules' system, the URLconf, templates) in ~65 ms, on whatever
# request it happened to fall, which was the load benchmark's slow tail on every page; frozen objects
# are never scanned again, and the workers' copies of them stay shared with the master (copy-on-write).
import gc  # noqa: E402

gc.collect()
gc.freeze()
