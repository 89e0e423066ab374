"""URL wiring: the admin, the REST API and (later) the web pages."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from klaster.api.api import api

admin.site.site_header = "Klaster — администрирование реестров"
admin.site.site_title = "Klaster"
admin.site.index_title = "Реестры промышленной инфраструктуры"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="home"),
]
