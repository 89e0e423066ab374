"""Pages of the Russian web interface."""

from django.urls import path

from klaster.web.views import home

app_name = "web"
urlpatterns = [
    path("", home.dashboard, name="dashboard"),
]
