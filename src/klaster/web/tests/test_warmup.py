"""The templates compiled in gunicorn's master before the workers fork."""

from django.template.loader import get_template

from klaster.web.warmup import compile_templates


def test_every_page_template_compiles(settings):
    """Compiling them all also catches a template error on a page no other test opens (a missing `{% load %}`
    once made «Новый сценарий» answer 500)."""
    count = compile_templates()
    assert count >= 40
    assert get_template("web/reforms/scenario.html").template.name == "web/reforms/scenario.html"
