"""URL wiring: the web pages, the admin, the REST API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from klaster.api.api import api

admin.site.site_header = "Klaster — администрирование реестров"
admin.site.site_title = "Klaster"
admin.site.index_title = "Реестры промышленной инфраструктуры"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("import/", include("klaster.exchange.urls")),
    path("favicon.ico", RedirectView.as_view(url="/static/web/favicon.svg", permanent=True)),
    path("", include("klaster.web.urls")),
]
