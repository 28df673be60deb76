#include "io/explain_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/date.hpp"
#include "io/compare_report.hpp"
#include "io/csv.hpp"

namespace ts::io {

namespace {

std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

const char* effect_name(policy::Legality::RouteCause::Effect e) {
    using E = policy::Legality::RouteCause::Effect;
    switch (e) {
        case E::prohibits:
            return "prohibits";
        case E::licence:
            return "needs a licence on";
        case E::quota:
            return "caps (quota)";
        case E::closes_remote:
            return "closes remote access at";
    }
    return "?";
}

std::string date_of(const model::Scenario& s, int tick) {
    return format_date(s.time.calendar().date_of(tick));
}

std::string num(double v) {
    return human_number(v, false, 2);
}

std::string route_name(const std::vector<std::string>& names, int route) {
    return route >= 0 && static_cast<std::size_t>(route) < names.size()
               ? names[static_cast<std::size_t>(route)]
               : "none";
}

double filled_on(const std::vector<engine::FillTrace>& fills, Index offer, int route) {
    double sum = 0.0;
    for (const auto& f : fills)
        if (f.offer == offer && (route < 0 || f.route == route)) sum += f.compute;
    return sum;
}

std::string causes_text(const model::Scenario& s, const engine::RouteTrace& r) {
    std::string out;
    for (const auto& c : r.causes) out += (out.empty() ? "" : "; ") + describe_cause(s, c);
    return out;
}

std::string restrictions_text(const model::Scenario& s, const engine::CandidateTrace& c) {
    std::string out;
    for (const Index p : c.restrictions) out += (out.empty() ? "" : ", ") + s.policies[ix(p)].id;
    return out;
}

}  // namespace

std::string offer_name(const model::Scenario& s, Index offer) {
    const auto& o = s.offers[ix(offer)];
    return s.suppliers[ix(o.supplier)].id + "/" + s.products[ix(o.product)].id;
}

std::string describe_cause(const model::Scenario& s, const policy::Legality::RouteCause& c) {
    std::string text =
        fmt::format("{} {} {}→{}", s.policies[c.policy.index()].id, effect_name(c.effect),
                    s.countries[c.from.index()].code, s.countries[c.to.index()].code);
    if (c.effect == policy::Legality::RouteCause::Effect::licence)
        text += fmt::format(" (approval {:g}, {} ticks)", c.approval, c.delay);
    if (c.leg == 2) text += " (leg 2)";
    return text;
}

std::string format_buyer_trace(const model::Scenario& s, const engine::BuyerTrace& t, int run) {
    const auto& b = s.buyers[ix(t.buyer)];
    std::string out = fmt::format(
        "{} ({}, billed in {}) at {} (tick {}, run {})\n", b.id, s.countries[ix(b.country)].code,
        s.countries[ix(b.billing_country)].code, date_of(s, t.tick), t.tick, run);
    out += fmt::format(
        "Demand: reference {} + backlog {} compute; price index P {} (σ {:g}, η {:g}) → Q {}\n",
        num(t.base_demand), num(t.backlog), num(t.price_index), b.substitution, b.price_elasticity,
        num(t.quantity));
    double ordered = 0.0, filled = 0.0;
    for (const auto& c : t.candidates) ordered += c.request;
    for (const auto& f : t.fills) filled += f.compute;
    out += fmt::format(
        "Clearing: ordered {}, filled {} in {} round(s); unmet {}; backlog to next tick {}\n",
        num(ordered), num(filled), t.rounds, num(t.unmet), num(t.backlog_after));
    out +=
        "Costs are USD per compute unit: price/compute, then what tariff, markup, seizure\n"
        "risk and the wait for a licence add (* = the route chosen).\n";
    for (const auto& c : t.candidates) {
        out += fmt::format(
            "\n{}  weight {:.3g} × import {:.3g} × approval {:.3g} = {:.3g}; price {}\n",
            offer_name(s, c.offer), c.weight, c.import_factor, c.approval_factor, c.weight_now,
            num(c.price));
        if (!c.restrictions.empty())
            out += "  import restrictions in force: " + restrictions_text(s, c) + "\n";
        if (c.weight_now <= 0.0) {
            out += "  not considered this tick (weight 0: unavailable or removed)\n";
            continue;
        }
        out +=
            fmt::format("  {:<16} {:<9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", "route", "status",
                        "base", "+tariff", "+markup", "+seizure", "+licence", "= cost");
        for (const auto& r : c.routes) {
            const std::string name =
                std::string(r.route == c.route ? "* " : "  ") + route_name(t.route_names, r.route);
            if (*r.skipped != '\0')
                out +=
                    fmt::format("  {:<16} {:<9} {}\n", name, policy::to_string(r.cls), r.skipped);
            else
                out += fmt::format("  {:<16} {:<9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", name,
                                   policy::to_string(r.cls), num(r.base), num(r.tariff),
                                   num(r.markup), num(r.seizure), num(r.licence), num(r.total));
            const std::string why = causes_text(s, r);
            if (!why.empty()) out += "      ↳ " + wrap(why, 90, "        ");
        }
        double granted = 0.0;
        for (const auto& f : t.fills)
            if (f.offer == c.offer && f.licensed) granted += f.compute;
        const double got = filled_on(t.fills, c.offer, -1);
        const double on_choice = filled_on(t.fills, c.offer, c.route);
        std::string line =
            fmt::format("ordered {} (share of spending {:.1f} %", num(c.request), 100.0 * c.share);
        if (c.stockpile != 1.0) line += fmt::format(" × stockpiling {:g}", c.stockpile);
        line +=
            fmt::format("); waiting for a licence {}; filled {}", num(c.licence_filed), num(got));
        if (granted > 0.0)
            line += fmt::format(" (of which {} on licences granted now for earlier requests)",
                                num(granted));
        if (got > on_choice + 1e-9)
            line += fmt::format(" (of which {} re-chosen on other routes)", num(got - on_choice));
        out += "  " + wrap(line, 96, "    ");
    }
    if (!t.arrivals.empty()) {
        out += "\nArrived this tick:\n";
        for (const auto& a : t.arrivals)
            out += fmt::format("  {} {} units {}{}\n", offer_name(s, a.offer), num(a.units),
                               route_name(t.route_names, a.route), a.diverted ? " (diverted)" : "");
    }
    if (!t.departures.empty()) {
        out += "\nShipped this tick:\n";
        for (const auto& f : t.departures)
            out += fmt::format("  {} {} units ({} compute) {}{}{}\n", offer_name(s, f.offer),
                               num(f.units), num(f.compute), engine::to_string(f.channel),
                               f.via == model::kNone ? "" : " via " + s.countries[ix(f.via)].code,
                               f.seized_units > 0 ? ", seized " + num(f.seized_units) : "");
    }
    if (!t.licences_pending.empty()) {
        out += "\nLicence requests waiting for a decision:\n";
        for (const auto& l : t.licences_pending)
            out += fmt::format("  {} {} compute, filed {}, decided {}\n", offer_name(s, l.offer),
                               num(l.compute), date_of(s, static_cast<int>(l.requested_tick)),
                               date_of(s, static_cast<int>(l.decide_tick)));
    }
    return out;
}

void write_buyer_trace_csv(const model::Scenario& s, const engine::BuyerTrace& t, int run,
                           const std::filesystem::path& path) {
    CsvWriter w(path, {"tick",
                       "date",
                       "run",
                       "buyer",
                       "supplier",
                       "product",
                       "route",
                       "status",
                       "skipped",
                       "price_usd",
                       "base_usd_per_compute",
                       "tariff_usd_per_compute",
                       "markup_usd_per_compute",
                       "seizure_usd_per_compute",
                       "licence_usd_per_compute",
                       "cost_usd_per_compute",
                       "fee_rate",
                       "chosen",
                       "weight",
                       "import_factor",
                       "approval_factor",
                       "weight_now",
                       "share",
                       "ordered_compute",
                       "licence_compute",
                       "filled_compute",
                       "policies"});
    const std::string date = date_of(s, t.tick);
    for (const auto& c : t.candidates) {
        const auto& o = s.offers[ix(c.offer)];
        for (const auto& r : c.routes) {
            const bool chosen = r.route == c.route;
            const bool priced = *r.skipped == '\0';
            w.integer(t.tick).text(date).integer(run).text(s.buyers[ix(t.buyer)].id);
            w.text(s.suppliers[ix(o.supplier)].id).text(s.products[ix(o.product)].id);
            w.text(route_name(t.route_names, r.route)).text(policy::to_string(r.cls));
            w.text(r.skipped).number(c.price, 4);
            for (const double v : {r.base, r.tariff, r.markup, r.seizure, r.licence, r.total})
                priced ? w.number(v, 6) : w.empty();
            w.number(r.fee_rate, 6).integer(chosen ? 1 : 0);
            w.number(c.weight, 6).number(c.import_factor, 6).number(c.approval_factor, 6);
            w.number(c.weight_now, 6).number(chosen ? c.share : 0.0, 6);
            w.number(chosen ? c.request : 0.0, 4).number(chosen ? c.licence_filed : 0.0, 4);
            w.number(filled_on(t.fills, c.offer, r.route), 4).text(causes_text(s, r));
            w.end_row();
        }
    }
    w.commit();
}

std::string format_offer_trace(const model::Scenario& s, const engine::OfferTrace& t, int run) {
    std::string out = fmt::format("{} at {} (tick {}, run {})\n", offer_name(s, t.offer),
                                  date_of(s, t.tick), t.tick, run);
    out += fmt::format(
        "Price {}, capacity {}, opening stock {}, produced {}, shipped {} units; sold out: {}{}\n",
        num(t.price), num(t.capacity), num(t.opening_stock), num(t.produced), num(t.shipped),
        t.exhausted ? "yes" : "no", t.pool_binding ? " (a capacity pool it draws on binds)" : "");
    out += fmt::format("\n  {:<20} {:<16} {:>10} {:>10} {:>10}  {}\n", "buyer", "route", "ordered",
                       "licence", "filled", "bound by");
    for (const auto& d : t.demand) {
        std::string bound;
        for (const auto& w : d.bound) bound += (bound.empty() ? "" : ", ") + w;
        out += fmt::format("  {:<20} {:<16} {:>10} {:>10} {:>10}  {}\n", s.buyers[ix(d.buyer)].id,
                           route_name(t.route_names, d.route), num(d.request), num(d.licence_filed),
                           num(d.filled), bound.empty() ? "-" : bound);
    }
    out += "(compute units; \"licence\": ordered on a licensed route, waiting for the decision)\n";
    return out;
}

void write_offer_trace_csv(const model::Scenario& s, const engine::OfferTrace& t, int run,
                           const std::filesystem::path& path) {
    CsvWriter w(path, {"tick", "date", "run", "supplier", "product", "buyer", "route",
                       "ordered_compute", "licence_compute", "filled_compute", "bound_by"});
    const auto& o = s.offers[ix(t.offer)];
    for (const auto& d : t.demand) {
        std::string bound;
        for (const auto& b : d.bound) bound += (bound.empty() ? "" : ";") + b;
        w.integer(t.tick).text(date_of(s, t.tick)).integer(run);
        w.text(s.suppliers[ix(o.supplier)].id).text(s.products[ix(o.product)].id);
        w.text(s.buyers[ix(d.buyer)].id).text(route_name(t.route_names, d.route));
        w.number(d.request, 4).number(d.licence_filed, 4).number(d.filled, 4).text(bound);
        w.end_row();
    }
    w.commit();
}

}  // namespace ts::io
