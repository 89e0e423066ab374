"""One Jinja2 renderer for the widgets of the site's own forms.

Django renders each widget, and each `<option>` of a select, through a template of its own; with the
template engine that is 7 ms for the registry filters (89 regions in a select) on every list page, and
3 ms with Jinja2, which Django ships the same widget templates for. The admin keeps the default renderer
(its widgets have Django templates only). One instance for the process, because the renderer builds its
Jinja2 environment once per instance.
"""

from django.forms.renderers import Jinja2

WIDGETS = Jinja2()
