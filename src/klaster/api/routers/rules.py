"""Rules endpoints: evaluate the JSON contract, browse the parameter tree. Logic lives in klaster.rules."""

from django.http import HttpRequest, JsonResponse
from ninja import Router

from klaster.rules.contract import ContractError, EvalInput, EvalOutput, evaluate
from klaster.rules.parameters_tree import parameter_history, parameter_list

router = Router(tags=["Правила"])


@router.post("/eval", response=EvalOutput)
def eval_measures(request: HttpRequest, payload: EvalInput, scenario: str | None = None):
    """Право на меры поддержки, суммы и основания для организаций, площадок, проектов и кредитов."""
    try:
        return evaluate(payload, scenario=scenario)
    except ContractError as exc:
        detail = [
            {**e, "loc": (["query"] if e["loc"][:1] == ["scenario"] else ["body"]) + list(e["loc"])} for e in exc.errors
        ]
        return JsonResponse({"detail": detail}, status=422, json_dumps_params={"ensure_ascii": False})


@router.get("/parameters")
def parameters(request: HttpRequest):
    """Дерево параметров: путь, описание, единица, последнее значение и его достоверность."""
    return parameter_list()


@router.get("/parameters/{path}")
def parameter(request: HttpRequest, path: str):
    """Полная датированная история параметра с источниками и достоверностью."""
    found = parameter_history(path)
    if found is None:
        return JsonResponse(
            {"detail": [{"loc": ["path", "path"], "type": "not_found", "msg": f"Параметр «{path}» не найден"}]},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return found
