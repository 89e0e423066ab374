"""The REST API under /api/v1/: mounts the routers and the error handlers."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from klaster.api import errors
from klaster.api.auth import ApiAuth


class RussianJSONRenderer(JSONRenderer):
    """Cyrillic as is, not as \\u escapes: responses stay readable in a terminal and a browser."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=RussianJSONRenderer(),
    title="Klaster API",
    version="1",
    description=(
        "Реестры промышленных кластеров, индустриальных парков, технопарков и ОЭЗ России. "
        "Чтение открыто; запись — для пользователя с правом на модель (сессия или заголовок "
        "`Authorization: Bearer <токен>`)."
    ),
    urls_namespace="api",
)
errors.install(api)

from klaster.api.routers import registry as registry_router  # noqa: E402
from klaster.api.routers import rules as rules_router  # noqa: E402
from klaster.api.routers import simulations as simulations_router  # noqa: E402

api.add_router("/", registry_router.router)
api.add_router("/", rules_router.router)
api.add_router("/", simulations_router.router)

__all__ = ["ApiAuth", "api"]
