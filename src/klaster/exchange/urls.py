"""Pages of the import and export of registry files (mounted under /import/)."""

app_name = "exchange"
urlpatterns: list = []
