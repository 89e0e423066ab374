"""Rules engine benchmark (issue 4): OpenFisca rules vs an independent NumPy kernel vs a plain
per-entity Python loop of the same formulas, at 10 000, 100 000 and 1 000 000 firms (300 000
projects and 200 000 loans at the top), one process, one run per size.

Measured: building the simulation from tables and computing eligibility and amounts of the four
measures that dominate a batch (ПП № 41 start batches, industrial mortgage, КИП, cluster premiums)
on 2025-06-01. The three implementations must agree; the table is printed for docs/benchmarks.md.

    .venv/bin/python bench/rules_bench.py [--sizes 10000,100000,1000000] [--loop-max 1000000]
"""

import argparse
import bisect
import math
import time
from datetime import date

import numpy

from klaster.rules.builder import build_simulation
from klaster.rules.common import EPOCH
from klaster.rules.kernel import Kernel
from klaster.rules.system import baseline
from klaster.rules.testing import DATE, population

MEASURES = (
    "pp41_start_batch_subsidy",
    "industrial_mortgage",
    "cluster_investment_platform",
    "cluster_insurance_premiums",
)
U, P, F = 0, 1, 2


def run_rules(tables) -> dict:
    simulation = build_simulation(baseline(), tables, [DATE.year])
    on = DATE.isoformat()
    return {
        m: (numpy.asarray(simulation.calculate(f"{m}_eligible", on)), simulation.calculate(f"{m}_amount", on))
        for m in MEASURES
    }


def run_kernel(tables) -> dict:
    return Kernel(baseline().parameters, tables, DATE).run()


# ----- the plain Python loop: one entity at a time, the same formulas -------------------------------


class Series:
    """A dated parameter as sorted (day, value) lists, looked up with bisect."""

    def __init__(self, param, before=math.nan) -> None:
        items = sorted(param.values_list, key=lambda v: v.instant_str)
        self.days = [(date.fromisoformat(v.instant_str) - EPOCH).days for v in items]
        self.values = [math.nan if v.value is None else v.value for v in items]
        self.before = before

    def at(self, day: float):
        if day != day:
            return math.nan
        i = bisect.bisect_right(self.days, day)
        return self.values[i - 1] if i else self.before


def _and(*xs) -> int:
    if F in xs:
        return F
    return P if all(x == P for x in xs) else U


def _b(cond: bool, known: bool = True) -> int:
    return (P if cond else F) if known else U


def _le(a: float, b) -> int:
    return U if a != a or b != b else _b(a <= b)


def _gate(e: int, x: float) -> float:
    return x if e == P else (0.0 if e == F else math.nan)


def _add_years(day: float, years: float) -> float:
    if day != day or years != years:
        return math.nan
    d = EPOCH.toordinal() + int(day)
    dt = date.fromordinal(d)
    y = dt.year + int(years)
    try:
        shifted = dt.replace(year=y)
    except ValueError:
        shifted = date(y, 3, 1)
    return float(shifted.toordinal() - EPOCH.toordinal())


def run_loop(tables) -> dict:
    c, n, tbs = tables.columns, tables.counts, baseline()
    day = float((DATE - EPOCH).days)

    def s(path, before=math.nan):
        node = tbs.parameters
        for part in path.split("."):
            node = node.children[part]
        return Series(node, before)

    key, forecast, margin = s("general.key_rate"), s("general.key_rate_forecast"), s("general.market_rate_margin")

    def key_rate(d):
        return forecast.at(d) if d >= forecast.days[0] else key.at(d)

    status, since, confirmed, kind = (
        c["site_registry_status"].tolist(),
        c["site_registry_since"].tolist(),
        c["site_confirmed_pp779"].tolist(),
        c["site_kind"].tolist(),
    )
    site_ok = []
    for i in range(n["site"]):
        reg = U if status[i] == 0 or since[i] > day else (P if status[i] in (4, 5) else F)
        conf = reg if confirmed[i] == U else confirmed[i]
        site_ok.append(_and(U if kind[i] == 0 else (P if kind[i] == 1 else F), reg, conf))
    member: dict[tuple[int, int], int] = {}
    firm_cluster = [[] for _ in range(n["firm"])]
    mf, ms, role, msince, muntil = (
        c["membership_firm_idx"].tolist(),
        c["membership_site_idx"].tolist(),
        c["membership_role"].tolist(),
        c["membership_since"].tolist(),
        c["membership_until"].tolist(),
    )
    for i in range(n["membership"]):
        active = (msince[i] != msince[i] or msince[i] <= day) and (muntil[i] != muntil[i] or muntil[i] >= day)
        part = _and(_b(active), U if role[i] == 0 else (P if role[i] in (1, 2) else F))
        rank = {P: 2, U: 1, F: 0}
        k = (mf[i], ms[i])
        if k not in member or rank[part] > rank[member[k]]:
            member[k] = part
        firm_cluster[mf[i]].append(_and(part, site_ok[ms[i]]))
    firm_ok = [P if P in xs else (F if all(x == F for x in xs) else U) for xs in firm_cluster]
    # ПП № 41
    share = s("pp41_start_batch_subsidy.share_max").at(day)
    cap = s("pp41_start_batch_subsidy.cap_per_applicant").at(day)
    first = (date(2023, 1, 1) - EPOCH).days
    na = n["application"]
    costs, pending, has = [0.0] * na, [False] * na, [[] for _ in range(na)]
    psite = c["project_site_idx"].tolist()
    for i, (proj, buyer, supplier, amount, when, doc, app) in enumerate(
        zip(
            c["purchase_project_idx"].tolist(),
            c["purchase_buyer_idx"].tolist(),
            c["purchase_supplier_idx"].tolist(),
            c["purchase_amount_rub"].tolist(),
            c["purchase_date"].tolist(),
            c["purchase_documented"].tolist(),
            c["purchase_application_idx"].tolist(),
            strict=True,
        )
    ):
        del i
        if app < 0:
            continue
        site = psite[proj]
        sok = site_ok[site] if site >= 0 else U
        e = _and(
            _and(sok, member.get((buyer, site), F)),
            _and(member.get((supplier, site), F), _b(supplier != buyer)),
            _b(first <= when <= day),
            doc,
        )
        has[app].append(e)
        if e == P:
            costs[app] += amount
        elif e == U:
            pending[app] = True
    pp41_e, pp41_a = [], []
    for a, f in enumerate(c["application_firm_idx"].tolist()):
        xs = has[a]
        h = P if P in xs else (F if all(x == F for x in xs) else U)
        e = _and(firm_ok[f], h)
        capped = min(share * costs[a], cap)
        pp41_e.append(e)
        pp41_a.append(_gate(e, math.nan if pending[a] and capped < cap else capped))
    # Loans
    im = {
        name: s(f"industrial_mortgage.{name}", 0.0 if name in ("in_force",) else math.nan)
        for name in (
            "in_force",
            "revenue_limit_applies",
            "revenue_max.other",
            "revenue_max.small_technological",
            "loan_max",
            "term_max_years",
            "purposes.purchase",
            "purposes.construction",
            "purposes.modernisation",
            "purposes.reconstruction",
            "cost_norm.applies",
            "cost_norm.build",
            "cost_norm.buy_capital",
            "cost_norm.buy_other",
            "rate_base.technological",
            "rate_base.other",
            "floating.applies",
            "floating.key_rate_threshold",
        )
    }
    kp = {
        name: s(f"cluster_investment_platform.{name}", 0.0 if name == "in_force" else math.nan)
        for name in (
            "in_force",
            "min_loan",
            "max_loan",
            "loan_share_of_project_max",
            "rate_key_multiplier",
            "rate_add",
            "concessional_extra_years",
            "max_term_years",
        )
    }
    okved, size, tech, producer, revenue = (
        c["firm_okved_class"].tolist(),
        c["firm_size"].tolist(),
        c["firm_technological_company"].tolist(),
        c["firm_industrial_producer"].tolist(),
        c["firm_revenue_rub"].tolist(),
    )
    food_since = (date(2024, 4, 22) - EPOCH).days

    def saving(amount, signed, term, rate_at, concessional=math.inf):
        if term != term or signed != signed:
            return math.nan
        total, k = 0.0, 0
        while k < term:
            length = min(1.0, term - k)
            part = min(length, max(0.0, min(1.0, concessional - k))) if concessional == concessional else math.nan
            start = _add_years(signed, k)
            if part != part or part > 0:
                total += amount * (1 - k / term) * (key_rate(start) + margin.at(start) - rate_at(start)) * part
            k += 1
        return total

    im_e, im_a, kip_e, kip_a = [], [], [], []
    for i, (f, prog, amount, term, sd, purpose, area, pcost, region, projcost, prio, lender, phase) in enumerate(
        zip(
            *(
                c[k].tolist()
                for k in (
                    "loan_firm_idx",
                    "loan_programme",
                    "loan_amount_rub",
                    "loan_term_years",
                    "loan_signed_on",
                    "loan_purpose",
                    "loan_property_area_m2",
                    "loan_property_cost_rub",
                    "loan_property_region",
                    "loan_project_cost_rub",
                    "loan_priority_product",
                    "loan_lender_authorised",
                    "loan_investment_phase_years",
                )
            ),
            strict=True,
        )
    ):
        del i
        ok = okved[f]
        manuf = U if ok != ok else _b(10 <= ok <= 33)
        at = {k: v.at(sd) for k, v in im.items()}
        excluded = U if ok != ok else _b(not (ok in (10, 11) and sd >= food_since))
        r = revenue[f]
        mtk = _and(tech[f], U if size[f] == 0 else _b(size[f] in (1, 2)))
        rev = (
            U
            if r != r
            else (P if r <= at["revenue_max.other"] else (F if r > at["revenue_max.small_technological"] else mtk))
        )
        if at["revenue_limit_applies"] == 0:
            rev = P
        allowed = {
            1: at["purposes.purchase"],
            2: at["purposes.construction"],
            3: at["purposes.modernisation"],
            4: at["purposes.reconstruction"],
        }.get(purpose, math.nan)
        norm = (
            at["cost_norm.build"]
            if purpose in (2, 3, 4)
            else (at["cost_norm.buy_capital"] if region in (77.0, 50.0, 78.0) else at["cost_norm.buy_other"])
        )
        if purpose == 0 or (purpose == 1 and region != region):
            norm = math.nan
        cost_ok = P if at["cost_norm.applies"] == 0 else _le(pcost / area, norm)
        e = _and(
            _b(at["in_force"] == 1),
            manuf,
            excluded,
            rev,
            _le(amount, at["loan_max"]),
            _le(term, at["term_max_years"]),
            U if allowed != allowed else _b(allowed == 1),
            cost_ok,
            lender,
        )
        base = at["rate_base.technological"] if tech[f] == P else (at["rate_base.other"] if tech[f] == F else math.nan)
        rate = base + (max(0.0, key_rate(sd) - at["floating.key_rate_threshold"]) if at["floating.applies"] == 1 else 0)
        im_e.append(e)
        im_a.append(_gate(e, saving(amount, sd, term, lambda _d, rate=rate: rate)))
        kt = {k: v.at(sd) for k, v in kp.items()}
        industrial = P if (producer[f] == P or manuf == P) else (F if producer[f] == F and manuf == F else U)
        limit = kt["max_term_years"]
        e2 = _and(
            _b(kt["in_force"] == 1),
            industrial,
            U if kt["min_loan"] != kt["min_loan"] else _b(amount >= kt["min_loan"]),
            _le(amount, kt["max_loan"]),
            _le(amount, kt["loan_share_of_project_max"] * projcost),
            prio,
            lender,
            P if limit != limit else _le(term, limit),
        )
        kip_e.append(e2)
        kip_a.append(
            _gate(
                e2,
                saving(
                    amount,
                    sd,
                    term,
                    lambda d, kt=kt: kt["rate_key_multiplier"] * key_rate(d) + kt["rate_add"],
                    phase + kt["concessional_extra_years"],
                ),
            )
        )
        del prog
    # Premiums
    y0 = float((date(DATE.year, 1, 1) - EPOCH).days)
    y1 = float((date(DATE.year + 1, 1, 1) - EPOCH).days)
    g = {
        k: s(k).at(y0)
        for k in (
            "general.insurance_premiums.rate_within_base",
            "general.insurance_premiums.rate_above_base",
            "general.insurance_premiums.base_limit",
            "cluster_insurance_premiums.rate_within_base",
            "cluster_insurance_premiums.rate_above_base",
            "cluster_insurance_premiums.max_years",
        )
    }
    years_now = s("cluster_insurance_premiums.max_years").at(day)
    d_in = g["general.insurance_premiums.rate_within_base"] - g["cluster_insurance_premiums.rate_within_base"]
    d_above = g["general.insurance_premiums.rate_above_base"] - g["cluster_insurance_premiums.rate_above_base"]
    limit = g["general.insurance_premiums.base_limit"]
    payroll = tables.yearly["firm_payroll_rub"][DATE.year].tolist()
    heads = tables.yearly["firm_headcount"][DATE.year].tolist()
    prem_e, prem_a = [], []
    for f, (v, ssince, suntil, start) in enumerate(
        zip(
            *(
                c[k].tolist()
                for k in ("firm_spic_version", "firm_spic_since", "firm_spic_until", "firm_premium_reduced_since")
            ),
            strict=True,
        )
    ):
        in_force = U if ssince != ssince else _b(ssince <= day and (suntil != suntil or suntil > day))
        in_force = F if v == 1 else (U if v == 0 else in_force)
        spic = _and(U if v == 0 else (P if v == 2 else F), in_force)
        end = _add_years(start, years_now)
        end = end if suntil != suntil else min(end, suntil)
        term = U if start != start or end != end else _b(start <= day < end)
        e = _and(firm_ok[f], spic, term)
        end_y = _add_years(start, g["cluster_insurance_premiums.max_years"])
        end_y = end_y if suntil != suntil else min(end_y, suntil)
        a = min(1.0, max(0.0, (start - y0) / (y1 - y0)))
        b = min(1.0, max(0.0, (end_y - y0) / (y1 - y0)))
        w = payroll[f] / heads[f]
        t = 1.0 if w == 0 else min(1.0, max(0.0, limit / w))
        within = max(0.0, min(b, t) - max(a, 0.0))
        above = max(0.0, min(b, 1.0) - max(a, t))
        value = 0.0 if payroll[f] == 0 else heads[f] * w * (d_in * within + d_above * above)
        prem_e.append(e)
        prem_a.append(_gate(e, value))
    arr = numpy.asarray
    return {
        "pp41_start_batch_subsidy": (arr(pp41_e), arr(pp41_a)),
        "industrial_mortgage": (arr(im_e), arr(im_a)),
        "cluster_investment_platform": (arr(kip_e), arr(kip_a)),
        "cluster_insurance_premiums": (arr(prem_e), arr(prem_a)),
    }


def agree(a: dict, b: dict) -> bool:
    return all(
        numpy.array_equal(a[m][0], b[m][0]) and numpy.allclose(a[m][1], b[m][1], rtol=1e-9, atol=0.01, equal_nan=True)
        for m in MEASURES
    )


def timed(fn, tables) -> tuple[float, dict]:
    start = time.perf_counter()
    out = fn(tables)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--loop-max", type=int, default=1_000_000, help="largest size the Python loop runs at")
    args = parser.parse_args()
    baseline()  # load the system once, outside the timings
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        tables = population(n)
        run_rules(population(1000))  # warm caches of the formulas
        t_rules, rules = timed(run_rules, tables)
        t_kernel, kernel = timed(run_kernel, tables)
        ok = agree(rules, kernel)
        t_loop = math.nan
        if n <= args.loop_max:
            t_loop, loop = timed(run_loop, tables)
            ok = ok and agree(rules, loop)
        rows.append((n, tables.counts, t_rules, t_kernel, t_loop, ok))
        print(
            f"{n:>9} firms: rules {t_rules:.3f} s, kernel {t_kernel:.3f} s, loop {t_loop:.3f} s, agree {ok}", flush=True
        )
    print()
    print(
        "| firms | projects | loans | memberships | rules (OpenFisca), s | NumPy kernel, s | Python loop, s |"
        " rules / kernel | loop / rules | answers agree |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for n, counts, tr, tk, tl, ok in rows:
        print(
            f"| {n:,} | {counts['project']:,} | {counts['loan']:,} | {counts['membership']:,} | {tr:.3f} | {tk:.3f} "
            f"| {tl:.3f} | {tr / tk:.2f} | {tl / tr:.1f} | {'yes' if ok else 'NO'} |".replace(",", " ")
        )


if __name__ == "__main__":
    main()
