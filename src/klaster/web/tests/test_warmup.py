"""The templates compiled in gunicorn's master before the workers fork."""

from django.template import engines

from klaster.web.forms.rendering import WIDGETS
from klaster.web.warmup import compile_templates


def test_every_page_template_compiles_and_stays_cached():
    """Compiling them all also catches a template error on a page no other test opens (a missing `{% load %}`
    once made «Новый сценарий» answer 500); what is compiled stays in the caches the workers inherit."""
    count = compile_templates()
    assert count >= 40
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert {"web/reforms/scenario.html", "exchange/index.html", "reforms/report_pdf.html"} <= set(cached)
    widgets = {name for _loader, name in WIDGETS.engine.env.cache.keys()}  # Jinja2 keys by (loader, name)
    assert "django/forms/widgets/select.html" in widgets
