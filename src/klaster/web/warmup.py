"""Work done once in gunicorn's master (`klaster serve` preloads the app) so that no worker does it on
a visitor's request: compiling every page template and form-widget template. Workers inherit the
compiled templates on fork; without this the first visit of each page to each worker took ~100 ms more.
"""

from pathlib import Path

import django.forms
from django.apps import apps
from django.template.loader import get_template

from klaster.web.forms.rendering import WIDGETS

WIDGET_TEMPLATES = Path(django.forms.__file__).parent / "jinja2"


def compile_templates() -> int:
    """Compile (and cache) every template the pages and the filter forms render; returns how many."""
    count = 0
    for config in apps.get_app_configs():  # every Klaster app with templates, so a new one is not missed
        root = Path(config.path) / "templates"
        if not config.name.startswith("klaster.") or not root.is_dir():
            continue
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix())
            count += 1
    for path in sorted((WIDGET_TEMPLATES / "django" / "forms" / "widgets").glob("*.html")):
        WIDGETS.get_template(path.relative_to(WIDGET_TEMPLATES).as_posix())
        count += 1
    return count
