"""Pages of the Russian web interface."""

from django.urls import path

from klaster.web.views import home, maps, measures, profiles, reforms, registry
from klaster.web.views import search as search_views

app_name = "web"
urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("charts/<slug:name>.csv", home.chart_csv, name="chart_csv"),
    path("changes/", home.changes_export, name="changes_export"),
    path("map/", maps.map_page, name="map"),
    path("map/data/", maps.map_data, name="map_data"),
    path("registry/<slug:kind>/", registry.registry_list, name="registry"),
    path("sites/<int:pk>/", profiles.site_detail, name="site"),
    path("organizations/<int:pk>/", profiles.organization_detail, name="organization"),
    path("regions/<str:code>/", profiles.region_detail, name="region"),
    path("search/", search_views.global_search, name="search"),
    path("measures/", measures.measures_page, name="measures"),
    path("measures/selection/", measures.selection_page, name="selection"),
    path("reforms/", reforms.reforms_page, name="reforms"),
    path("reforms/scenarios/new/", reforms.scenario_new, name="scenario_new"),
    path("reforms/<int:pk>/", reforms.reform_detail, name="reform"),
    path("reforms/<int:pk>/<slug:kind>/", reforms.reform_file, name="reform_file"),
]
