"""Pages of «Импорт»."""

from django.urls import path

from klaster.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.import_page, name="index"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/state.json", views.run_state, name="state"),
    path("<int:pk>/errors.xlsx", views.run_errors, name="errors"),
    path("export/<slug:kind>.<slug:fmt>", views.export_file, name="export"),
]
