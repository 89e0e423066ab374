"""An independent, fully vectorised NumPy kernel of the four measures that dominate a batch
(ПП № 41 start batches from 2023, industrial mortgage, КИП, cluster premiums), written straight
from measures.md without OpenFisca. The benchmark compares speeds and a test asserts that its
answers equal the rules' (codes: 0 unknown, 1 passed, 2 failed; NaN amounts: unknown)."""

from datetime import date

import numpy

from klaster.rules.builder import Tables
from klaster.rules.common import EPOCH
from klaster.rules.schedule import add_years, loan_years, overlap, year_bounds

U, P, F = 0, 1, 2


def _series(param):
    items = sorted(param.values_list, key=lambda v: v.instant_str)
    days = numpy.array([(date.fromisoformat(v.instant_str) - EPOCH).days for v in items], dtype=numpy.float64)
    values = [v.value for v in items]
    return days, values


def _at(param, days, before=numpy.nan):
    starts, values = _series(param)
    table = numpy.array([before] + [numpy.nan if v is None else float(v) for v in values])
    return table[numpy.searchsorted(starts, numpy.nan_to_num(days, nan=-1e9), side="right")] + numpy.where(
        numpy.isnan(days), numpy.nan, 0.0
    )


def _and(*xs):
    fail = numpy.logical_or.reduce([x == F for x in xs])
    ok = numpy.logical_and.reduce([x == P for x in xs])
    return numpy.where(fail, F, numpy.where(ok, P, U))


def _b(cond, known=True):
    return numpy.where(known, numpy.where(cond, P, F), U)


def _le(a, b):
    with numpy.errstate(invalid="ignore"):
        return _b(a <= b, ~(numpy.isnan(a) | numpy.isnan(b)))


def _gate(e, x):
    return numpy.where(e == P, x, numpy.where(e == F, 0.0, numpy.nan))


class Kernel:
    def __init__(self, parameters, tables: Tables, on: date) -> None:
        self.p, self.t, self.c = parameters, tables, tables.columns
        self.day = float((on - EPOCH).days)
        self.on = on

    def param(self, path):
        node = self.p
        for part in path.split("."):
            node = node.children[part]
        return node

    def now(self, path):
        return _at(self.param(path), numpy.array([self.day]))[0]

    def firm_in_cluster(self):
        c, n = self.c, self.t.counts
        site_ok = self.site_confirmed()
        m_ok = _and(self.membership_participant(), site_ok[c["membership_site_idx"]])
        f = c["membership_firm_idx"]
        passed = numpy.bincount(f, m_ok == P, n["firm"]) > 0
        failed = numpy.bincount(f, m_ok == F, n["firm"]) == numpy.bincount(f, None, n["firm"])
        return numpy.where(passed, P, numpy.where(failed, F, U)), m_ok

    def site_confirmed(self):
        c = self.c
        status, since = c["site_registry_status"], c["site_registry_since"]
        reg = numpy.where(numpy.isin(status, (4, 5)), P, F)
        reg = numpy.where((status == 0) | (since > self.day), U, reg)
        conf = numpy.where(c["site_confirmed_pp779"] == U, reg, c["site_confirmed_pp779"])
        kind = numpy.where(c["site_kind"] == 0, U, numpy.where(c["site_kind"] == 1, P, F))
        return _and(kind, reg, conf)

    def membership_participant(self):
        c = self.c
        active = (numpy.isnan(c["membership_since"]) | (c["membership_since"] <= self.day)) & (
            numpy.isnan(c["membership_until"]) | (c["membership_until"] >= self.day)
        )
        role = c["membership_role"]
        return _and(_b(active), numpy.where(role == 0, U, numpy.where(numpy.isin(role, (1, 2)), P, F)))

    def pp41(self):
        """Start-batch regime (dates from 2023): eligibility and amount per application."""
        c, n = self.c, self.t.counts
        firm_ok, _ = self.firm_in_cluster()
        sites = numpy.where(c["purchase_project_idx"] >= 0, c["project_site_idx"][c["purchase_project_idx"]], -1)
        site_ok = numpy.where(sites >= 0, self.site_confirmed()[numpy.maximum(sites, 0)], U)
        part = self.membership_participant()
        ns = max(n["site"], 1)
        key_m = c["membership_firm_idx"] * ns + c["membership_site_idx"]
        rank = numpy.select([part == P, part == U], [2, 1], 0)
        order = numpy.lexsort((rank, key_m))
        last = numpy.r_[key_m[order][1:] != key_m[order][:-1], True] if len(order) else numpy.zeros(0, bool)
        keys_sorted, rank_sorted = key_m[order][last], rank[order][last]

        def member(firms):
            q = firms * ns + sites
            pos = numpy.clip(numpy.searchsorted(keys_sorted, q), 0, max(len(keys_sorted) - 1, 0))
            found = (keys_sorted[pos] == q) if len(keys_sorted) else numpy.zeros(len(q), bool)
            r = numpy.where(found, rank_sorted[pos] if len(keys_sorted) else 0, 0)
            out = numpy.select([r == 2, r == 1], [P, U], F)
            return numpy.where((firms < 0) | (sites < 0), U, out)

        buyer, supplier = c["purchase_buyer_idx"], c["purchase_supplier_idx"]
        first = (
            date.fromisoformat(self.param("pp41_start_batch_subsidy.costs_not_before").values_list[-1].value) - EPOCH
        ).days
        when = c["purchase_date"]
        elig = _and(
            _and(site_ok, member(buyer)),
            _and(member(supplier), _b(supplier != buyer)),
            _b((when >= first) & (when <= self.day), ~numpy.isnan(when)),
            c["purchase_documented"],
        )
        app, na = c["purchase_application_idx"], n["application"]
        ok = app >= 0
        any_pass = numpy.bincount(app[ok], (elig == P)[ok], na) > 0
        all_fail = numpy.bincount(app[ok], (elig == F)[ok], na) == numpy.bincount(app[ok], None, na)
        has = numpy.where(any_pass, P, numpy.where(all_fail, F, U))
        eligible = _and(firm_ok[c["application_firm_idx"]], has)
        costs = numpy.bincount(app[ok], numpy.where(elig == P, c["purchase_amount_rub"], 0.0)[ok], na)
        pending = numpy.bincount(app[ok], numpy.where(elig == U, c["purchase_amount_rub"], 0.0)[ok], na) > 0
        share, cap = (
            self.now("pp41_start_batch_subsidy.share_max"),
            self.now("pp41_start_batch_subsidy.cap_per_applicant"),
        )
        capped = numpy.minimum(share * costs, cap)
        return eligible, _gate(eligible, numpy.where(pending & (capped < cap), numpy.nan, capped))

    def _key(self, days):
        known = _at(self.param("general.key_rate"), days)
        fc = self.param("general.key_rate_forecast")
        start = _series(fc)[0][0]
        return numpy.where(days >= start, _at(fc, days), known)

    def _saving(self, rate_fn, concessional=None):
        c = self.c
        starts, _ends, length, balance = loan_years(c["loan_signed_on"], c["loan_term_years"])
        k = numpy.arange(starts.shape[1])[None, :]
        share = length if concessional is None else numpy.minimum(length, numpy.clip(concessional[:, None] - k, 0, 1))
        flat = starts.ravel()
        market = (self._key(flat) + _at(self.param("general.market_rate_margin"), flat)).reshape(starts.shape)
        saving = c["loan_amount_rub"][:, None] * balance * (market - rate_fn(starts)) * share
        saving = numpy.where(numpy.isnan(share) | (share > 0), saving, 0.0)
        total = numpy.zeros(saving.shape[0])
        for j in range(saving.shape[1]):
            total = total + saving[:, j]
        return total

    def mortgage(self):
        c = self.c
        s = c["loan_signed_on"]
        f = c["loan_firm_idx"]
        pm = lambda name, before=numpy.nan: _at(self.param(f"industrial_mortgage.{name}"), s, before)  # noqa: E731
        okved = c["firm_okved_class"][f]
        in_force = _b(pm("in_force", 0.0) == 1, ~numpy.isnan(pm("in_force", 0.0)))
        manuf = _b((okved >= 10) & (okved <= 33), ~numpy.isnan(okved))
        food_since = (date.fromisoformat("2024-04-22") - EPOCH).days
        excluded = _b(~(numpy.isin(okved, (10, 11)) & (s >= food_since)), ~numpy.isnan(okved))
        revenue = c["firm_revenue_rub"][f]
        size = c["firm_size"][f]
        mtk = _and(c["firm_technological_company"][f], _b(numpy.isin(size, (1, 2)), size != 0))
        with numpy.errstate(invalid="ignore"):
            rev = numpy.select(
                [
                    numpy.isnan(revenue),
                    revenue <= pm("revenue_max.other"),
                    revenue > pm("revenue_max.small_technological"),
                ],
                [U, P, F],
                mtk,
            )
        rev = numpy.where(pm("revenue_limit_applies") == 0, P, rev)
        purpose = c["loan_purpose"]
        allowed = numpy.select(
            [purpose == 1, purpose == 2, purpose == 3, purpose == 4],
            [
                pm("purposes.purchase"),
                pm("purposes.construction"),
                pm("purposes.modernisation"),
                pm("purposes.reconstruction"),
            ],
            numpy.nan,
        )
        capital = numpy.isin(c["loan_property_region"], (77.0, 50.0, 78.0))
        norm = numpy.where(
            numpy.isin(purpose, (2, 3, 4)),
            pm("cost_norm.build"),
            numpy.where(capital, pm("cost_norm.buy_capital"), pm("cost_norm.buy_other")),
        )
        norm = numpy.where((purpose == 0) | ((purpose == 1) & numpy.isnan(c["loan_property_region"])), numpy.nan, norm)
        with numpy.errstate(invalid="ignore", divide="ignore"):
            cost_ok = _le(c["loan_property_cost_rub"] / c["loan_property_area_m2"], norm)
        cost_ok = numpy.where(pm("cost_norm.applies") == 0, P, cost_ok)
        eligible = _and(
            in_force,
            manuf,
            excluded,
            rev,
            _le(c["loan_amount_rub"], pm("loan_max")),
            _le(c["loan_term_years"], pm("term_max_years")),
            _b(allowed == 1, ~numpy.isnan(allowed)),
            cost_ok,
            c["loan_lender_authorised"],
        )
        tech = c["firm_technological_company"][f]
        base = numpy.select([tech == P, tech == F], [pm("rate_base.technological"), pm("rate_base.other")], numpy.nan)
        extra = numpy.where(
            pm("floating.applies") == 1, numpy.maximum(0.0, self._key(s) - pm("floating.key_rate_threshold")), 0.0
        )
        rate = base + extra
        return eligible, _gate(eligible, self._saving(lambda starts: rate[:, None] + 0 * starts))

    def kip(self):
        c = self.c
        s, f = c["loan_signed_on"], c["loan_firm_idx"]
        pk = lambda name, before=numpy.nan: _at(self.param(f"cluster_investment_platform.{name}"), s, before)  # noqa: E731
        okved = c["firm_okved_class"][f]
        manuf = _b((okved >= 10) & (okved <= 33), ~numpy.isnan(okved))
        producer = c["firm_industrial_producer"][f]
        industrial = numpy.where((producer == P) | (manuf == P), P, numpy.where((producer == F) & (manuf == F), F, U))
        flag = pk("in_force", 0.0)
        amount = c["loan_amount_rub"]
        with numpy.errstate(invalid="ignore"):
            min_ok = _b(amount >= pk("min_loan"), ~numpy.isnan(pk("min_loan")))
        term_limit = pk("max_term_years")
        eligible = _and(
            _b(flag == 1, ~numpy.isnan(flag)),
            industrial,
            min_ok,
            _le(amount, pk("max_loan")),
            _le(amount, pk("loan_share_of_project_max") * c["loan_project_cost_rub"]),
            c["loan_priority_product"],
            c["loan_lender_authorised"],
            numpy.where(numpy.isnan(term_limit), P, _le(c["loan_term_years"], term_limit)),
        )
        mult, add = pk("rate_key_multiplier"), pk("rate_add")
        conc = c["loan_investment_phase_years"] + pk("concessional_extra_years")
        saving = self._saving(
            lambda starts: mult[:, None] * self._key(starts.ravel()).reshape(starts.shape) + add[:, None], conc
        )
        return eligible, _gate(eligible, saving)

    def premiums(self):
        c = self.c
        firm_ok, _ = self.firm_in_cluster()
        v = c["firm_spic_version"]
        since, until = c["firm_spic_since"], c["firm_spic_until"]
        in_force = numpy.where(
            numpy.isnan(since), U, numpy.where((since <= self.day) & (numpy.isnan(until) | (until > self.day)), P, F)
        )
        in_force = numpy.where(v == 1, F, numpy.where(v == 0, U, in_force))
        spic = _and(numpy.select([v == 0, v == 2], [U, P], F), in_force)
        start = c["firm_premium_reduced_since"]
        end = add_years(start, self.now("cluster_insurance_premiums.max_years"))
        end = numpy.where(numpy.isnan(until), end, numpy.minimum(end, until))
        term = _b((start <= self.day) & (self.day < end), ~(numpy.isnan(start) | numpy.isnan(end)))
        eligible = _and(firm_ok, spic, term)
        year = self.on.year
        y0, y1 = year_bounds(year)
        jan1 = numpy.array([y0])
        g = lambda path: _at(self.param(path), jan1)[0]  # noqa: E731
        d_in = g("general.insurance_premiums.rate_within_base") - g("cluster_insurance_premiums.rate_within_base")
        d_above = g("general.insurance_premiums.rate_above_base") - g("cluster_insurance_premiums.rate_above_base")
        limit = g("general.insurance_premiums.base_limit")
        end_y = add_years(start, g("cluster_insurance_premiums.max_years"))
        end_y = numpy.where(numpy.isnan(until), end_y, numpy.minimum(end_y, until))
        a = numpy.clip((start - y0) / (y1 - y0), 0, 1)
        b = numpy.clip((end_y - y0) / (y1 - y0), 0, 1)
        payroll, heads = self.t.yearly["firm_payroll_rub"][year], self.t.yearly["firm_headcount"][year]
        with numpy.errstate(invalid="ignore", divide="ignore"):
            w = payroll / heads
            t = numpy.where(w == 0, 1.0, numpy.clip(limit / w, 0, 1))
        saving = heads * w * (d_in * overlap(a, b, 0, t) + d_above * overlap(a, b, t, 1))
        saving = numpy.where(payroll == 0, 0.0, saving)
        return eligible, _gate(eligible, saving)

    def run(self) -> dict[str, tuple[numpy.ndarray, numpy.ndarray]]:
        """Per measure: (eligibility codes, amounts) on the kernel's rows (applications, loans, firms).
        Loans of the other programme are computed too; callers select by programme."""
        return {
            "pp41_start_batch_subsidy": self.pp41(),
            "industrial_mortgage": self.mortgage(),
            "cluster_investment_platform": self.kip(),
            "cluster_insurance_premiums": self.premiums(),
        }
