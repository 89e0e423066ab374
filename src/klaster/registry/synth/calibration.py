"""Published aggregates the synthetic registry is calibrated to, and the report of targets vs achieved.

Reported: 41 clusters in the registry on 29.11.2018, 61 on 29.05.2024, up to 109 by the end of 2024
(48 declared in 2024); 138 joint projects declared in 2024; participants per cluster ≥ 10 (ПП № 779,
2018 wording). Between the reported points the counts are interpolated linearly (an assumption),
and all counts scale with the number of clusters generated (109 clusters = scale 1).
"""

from dataclasses import dataclass
from itertools import pairwise

# Clusters in the registry at the end of each year, at scale 1 (109 clusters in all).
REPORTED_POINTS = {2015: 0, 2018: 41, 2024: 61}
ALL_CLUSTERS_AT_SCALE_1 = 109
DECLARED_2024_AT_SCALE_1 = 48
PROJECTS_DECLARED_2024_AT_SCALE_1 = 138
MIN_PARTICIPANTS = 10

# Mixes with no published figure: labelled assumptions, printed with the report.
SIZE_MIX = {"micro": 0.30, "small": 0.35, "medium": 0.20, "large": 0.15}
SITE_KIND_MIX = {
    "industrial_cluster": 0.45,
    "industrial_park": 0.30,
    "industrial_technopark": 0.12,
    "hightech_technopark": 0.08,
    "sez": 0.05,
}
SECTION_C_SHARE = 0.80


def registry_target(year: int, scale: float) -> int:
    """Clusters in the registry at the end of `year`, interpolated between the reported points."""
    years = sorted(REPORTED_POINTS)
    if year <= years[0]:
        return 0
    if year >= years[-1]:
        return round(REPORTED_POINTS[years[-1]] * scale)
    for lo, hi in pairwise(years):
        if lo <= year <= hi:
            value = REPORTED_POINTS[lo] + (REPORTED_POINTS[hi] - REPORTED_POINTS[lo]) * (year - lo) / (hi - lo)
            return round(value * scale)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class CalibrationLine:
    what: str
    target: str
    achieved: str
    source: str
