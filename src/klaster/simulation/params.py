"""Run parameters: every behavioural assumption of a simulation, with its documented default.

They are saved with each run and printed in its report, so a figure can always be traced to them.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MEASURES = (
    "pp41_start_batch_subsidy",
    "industrial_mortgage",
    "cluster_investment_platform",
    "cluster_insurance_premiums",
    "equipment_tooling_subsidy",
)
# Measures paid from a yearly appropriation, where demand beyond it must be rationed.
BUDGET_LIMITED = ("pp41_start_batch_subsidy",)

DEFAULT_YEARS = (2026, 2030)


class RunParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    years: tuple[int, int] = Field(DEFAULT_YEARS, description="Первый и последний год окна (включительно)")
    growth: float = Field(
        0.05, ge=-0.5, le=1.0, description="Годовой рост выручки, ФОТ, численности и сумм новых кредитов и закупок"
    )
    loan_cohort: int | None = Field(
        None, ge=0, description="Новых кредитов в год; по умолчанию — среднее за последние три года популяции"
    )
    take_up: dict[str, float] = Field(
        default_factory=lambda: dict.fromkeys(MEASURES, 1.0),
        description="Доля имеющих право, которые получают меру (1.0 — все)",
    )
    take_up_mode: Literal["expected", "draw"] = Field(
        "expected", description="expected — сумма × доля; draw — случайный выбор получателей с зерном seed"
    )
    seed: int = 1
    budget: dict[str, dict[int, float]] = Field(
        default_factory=dict, description="Лимит ассигнований по мере и году, ₽; без лимита — весь спрос"
    )
    rationing: Literal["ranked", "pro_rata", "first_come"] = Field(
        "ranked",
        description=(
            "Распределение при нехватке лимита: ranked — по баллу (по умолчанию меньшие заявки первыми: "
            "больше получателей), pro_rata — всем пропорционально, first_come — по дате первой закупки"
        ),
    )
    chunk_firms: int = Field(250_000, ge=1, description="Организаций в одной порции расчёта (память)")

    @field_validator("years")
    @classmethod
    def _years(cls, value: tuple[int, int]) -> tuple[int, int]:
        first, last = value
        if not 2000 <= first <= last <= 2100:
            raise ValueError("годы: первый ≤ последний, в пределах 2000–2100")
        if last - first > 29:
            raise ValueError("годы: окно не длиннее 30 лет")
        return value

    @field_validator("take_up")
    @classmethod
    def _take_up(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(MEASURES)
        if unknown:
            raise ValueError(f"take_up: неизвестные меры {', '.join(sorted(unknown))}")
        if any(not 0 <= v <= 1 for v in value.values()):
            raise ValueError("take_up: доля от 0 до 1")
        return {**dict.fromkeys(MEASURES, 1.0), **value}

    @field_validator("budget")
    @classmethod
    def _budget(cls, value: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for measure, by_year in value.items():
            if measure not in BUDGET_LIMITED:
                raise ValueError(f"budget: лимит задаётся только для {', '.join(BUDGET_LIMITED)}, а не {measure}")
            if any(v < 0 for v in by_year.values()):
                raise ValueError("budget: лимит не может быть отрицательным")
        return value

    @property
    def year_list(self) -> list[int]:
        return list(range(self.years[0], self.years[1] + 1))
