#include "io/output_estimate.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "engine/soft_routes.hpp"
#include "engine/world.hpp"
#include "io/csv.hpp"
#include "io/output_schema.hpp"
#include "policy/coverage.hpp"
#include "policy/policy_book.hpp"

namespace ts::io {

namespace {

using model::Index;

constexpr double kNumberWidth = 12.0;  // "12345.6789," and the like: files of unknown magnitudes
constexpr double kDateWidth = 11.0;    // "2023-01-01,"
// A route-restricted purchase (an export control or quota covering it) is split, in a tick, over
// at most this many routes (the first choice and one re-choice), plus its licensed route.
constexpr double kRestrictedRoutes = 2.0;
// Channels of revenue.csv: direct, transshipped, diverted, licensed, remote.
constexpr double kRevenueChannels = 5.0;

double digits(double n) {
    return n < 10.0 ? 1.0 : std::floor(std::log10(n)) + 1.0;
}

/// Characters of a number of magnitude `x` printed with `decimals` decimals, and its comma.
double number_width(double x, int decimals) {
    if (!std::isfinite(x)) return kNumberWidth;
    return digits(std::abs(x)) + 1.0 + decimals + 1.0;
}

/// Mean characters of the tick numbers 0 .. ticks-1 (and of their dates).
double mean_tick_digits(double ticks) {
    double sum = 0.0;
    for (double lo = 0.0, hi = 10.0; lo < ticks; lo = hi, hi *= 10.0)
        sum += (std::min(hi, ticks) - lo) * digits(std::max(lo, 1.0));
    return ticks > 0.0 ? sum / ticks : 1.0;
}

template <class T, class F>
double mean_length(const std::vector<T>& items, F id) {
    if (items.empty()) return 0.0;
    double sum = 0.0;
    for (const auto& item : items) sum += static_cast<double>(id(item).size());
    return sum / static_cast<double>(items.size());
}

/// Characters of a header row.
double header_bytes(std::string_view file, bool run_column) {
    double sum = 0.0;
    for (const auto name : output_header(file, run_column))
        sum += static_cast<double>(name.size()) + 1.0;
    return sum;
}

/// The share of the run's ticks in which `p` is in force; a reaction's dormant policy may take
/// force at any tick.
double share_in_force(const model::Policy& p, double ticks) {
    if (p.from_tick == engine::kNever) return 1.0;
    const double from = std::clamp(static_cast<double>(p.from_tick), 0.0, ticks);
    const double until = std::clamp(static_cast<double>(p.until_tick), 0.0, ticks);
    return ticks > 0.0 && until > from ? (until - from) / ticks : 0.0;
}

/// An export control or quota on an offer: in force `share` of the run, the purchases it
/// covers may go licensed or through hubs, over several routes in one tick.
struct Restriction {
    std::size_t policy = 0;
    double share = 0.0;
    bool licence = false;
};

/// What flows.csv and revenue.csv hold per tick, from the world's structure: which buyers
/// consider which offers (a taste weight above 0), which of those purchases an export control
/// or quota may split over routes, and the magnitudes of the numbers.
struct FlowShape {
    double buyer_rows = 0.0, buyer_bytes = 0.0;  // bytes without the "[run,]tick,date," prefix
    double country_rows = 0.0, country_bytes = 0.0;
    double revenue_rows = 0.0, revenue_bytes = 0.0;
    std::vector<double> country_demand;  // compute per tick of the buyers of each country
};

/// Sums of one (offer, destination) or (supplier, billing country) over its buyers.
struct Cell {
    double rows = 0.0;        // sum of the buyers' rows
    double most = 0.0;        // the largest rows of one buyer
    double units = 0.0;       // units per tick
    double value = 0.0;       // USD per tick
    double restricted = 0.0;  // the largest restricted share of a buyer
};

class ShapeBuilder {
  public:
    ShapeBuilder(const engine::World& world, double ticks)
        : w_(world.scenario), book_(world.scenario), ticks_(ticks) {
        const model::Scenario& w = world.scenario;
        // The share of the run each offer exists: from its `available` tick; a design-around
        // variant from when the control it escapes takes force (at the earliest).
        available_.resize(w.offers.size());
        for (std::size_t o = 0; o < w.offers.size(); ++o) {
            std::int64_t lo = 0, hi = static_cast<std::int64_t>(ticks);  // first available tick
            while (lo < hi) {
                const std::int64_t mid = (lo + hi) / 2;
                if (book_.offer_available(static_cast<Index>(o), mid))
                    hi = mid;
                else
                    lo = mid + 1;
            }
            available_[o] = ticks > 0.0 ? (ticks - static_cast<double>(lo)) / ticks : 0.0;
        }
        for (const auto& v : world.variants)
            available_[static_cast<std::size_t>(v.offer)] =
                share_in_force(w.policies[static_cast<std::size_t>(v.control)], ticks);
        restrictions_.resize(w.offers.size());
        for (std::size_t p = 0; p < w.policies.size(); ++p) {
            const auto& pol = w.policies[p];
            if (pol.type != model::PolicyType::export_control &&
                pol.type != model::PolicyType::quota)
                continue;
            const double share = share_in_force(pol, ticks);
            if (share <= 0.0) continue;
            for (std::size_t o = 0; o < w.offers.size(); ++o) {
                const auto& sup = w.suppliers[static_cast<std::size_t>(w.offers[o].supplier)];
                if (book_.selects_offer(PolicyId{static_cast<Index>(p)},
                                        OfferId{static_cast<Index>(o)}) &&
                    policy::covers_shipment(pol, sup))
                    restrictions_[o].push_back({p, share, pol.licence.has_value()});
            }
        }
        const double mid = ticks / 2.0;
        for (const auto& b : w.buyers) demand_.push_back(b.demand * std::pow(1.0 + b.growth, mid));
        for (const auto& sup : w.suppliers) {
            supplier_.push_back(static_cast<double>(csv_field(sup.id).size()) + 1.0);
            origin_.push_back(static_cast<double>(csv_field(code(sup.ships_from)).size()) + 1.0);
        }
        for (const auto& p : w.products)
            product_.push_back(static_cast<double>(csv_field(p.id).size()) + 1.0);
        for (const auto& c : w.countries)
            country_.push_back(static_cast<double>(csv_field(c.code).size()) + 1.0);
        const double tick_width = mean_tick_digits(ticks) + 1.0 + kDateWidth;
        // via "direct", channel "direct", tariff and fee "0.00", seized "0.0000", the arrival
        // tick and date, the newline; the ids and quantities are added per row.
        fixed_ = 7.0 + 7.0 + 5.0 + 5.0 + 7.0 + tick_width;
    }

    FlowShape build();

  private:
    const std::string& code(Index c) const {
        static const std::string kEmpty;
        return c == model::kNone ? kEmpty : w_.countries[static_cast<std::size_t>(c)].code;
    }
    /// Rows a tick of buyer `b`'s purchases of offer `o` takes in flows.csv at buyer detail,
    /// and the restricted share.
    std::pair<double, double> rows(std::size_t b, std::size_t o) const;
    /// Bytes of a flows.csv row of `units` of offer `o` to country `dest` (without the prefix),
    /// `buyer` the buyer column's width.
    double flow_bytes(std::size_t o, std::size_t dest, double units, double buyer) const {
        const auto& off = w_.offers[o];
        const double compute = units * w_.products[static_cast<std::size_t>(off.product)].compute;
        return supplier_[static_cast<std::size_t>(off.supplier)] +
               product_[static_cast<std::size_t>(off.product)] +
               origin_[static_cast<std::size_t>(off.supplier)] + country_[dest] + buyer +
               number_width(units, kQuantityDecimals) + number_width(compute, kQuantityDecimals) +
               number_width(units * off.price, kUsdDecimals) + fixed_;
    }
    void add_destination(const std::vector<std::size_t>& buyers, std::size_t dest,
                         FlowShape& shape);
    void add_billing(const std::vector<std::size_t>& buyers, std::size_t billing, FlowShape& shape);

    const model::Scenario& w_;
    policy::PolicyBook book_;  // selectors only: no tick is advanced
    double ticks_;
    std::vector<std::vector<Restriction>> restrictions_;  // per offer
    std::vector<double> available_;  // per offer: the share of the run it exists
    std::vector<double> demand_;     // per buyer, mid-run
    std::vector<double> supplier_, origin_, product_, country_;  // field widths with the comma
    double fixed_ = 0.0;
    std::vector<Cell> cells_;
};

std::pair<double, double> ShapeBuilder::rows(std::size_t b, std::size_t o) const {
    const auto& buyer = w_.buyers[b];
    const double remote = buyer.remote ? static_cast<double>(buyer.remote->via.size()) : 0.0;
    const double ways = 1.0 + static_cast<double>(w_.routes.size()) + remote;
    // A buyer with remote sites may use one and its home in one tick (a re-choice).
    const double base = remote > 0.0 ? std::min(ways, kRestrictedRoutes) : 1.0;
    double share = 0.0;
    bool licence = false;
    for (const auto& r : restrictions_[o]) {
        const PolicyId p{static_cast<Index>(r.policy)};
        if (!policy::targets(book_, p, CountryId{buyer.country},
                             book_.selects_buyer(p, BuyerId{static_cast<Index>(b)})))
            continue;
        share = std::max(share, r.share);
        licence = licence || r.licence;
    }
    const double restricted = std::min(ways, kRestrictedRoutes) + (licence ? 1.0 : 0.0);
    return {base + share * std::max(0.0, restricted - base), share};
}

void ShapeBuilder::add_destination(const std::vector<std::size_t>& buyers, std::size_t dest,
                                   FlowShape& shape) {
    cells_.assign(w_.offers.size(), Cell{});
    double remote_sites = 0.0;
    for (const std::size_t b : buyers) {
        const auto& buyer = w_.buyers[b];
        if (buyer.remote)
            remote_sites = std::max(remote_sites, static_cast<double>(buyer.remote->via.size()));
        double considered = 0.0;
        for (const double x : buyer.weights) considered += x > 0.0 ? 1.0 : 0.0;
        if (considered == 0.0) continue;
        const double buyer_width = static_cast<double>(csv_field(buyer.id).size()) + 1.0;
        for (std::size_t o = 0; o < w_.offers.size(); ++o) {
            if (!(buyer.weights[o] > 0.0) || available_[o] <= 0.0) continue;
            const auto [rows_available, share] = rows(b, o);
            const double r = rows_available * available_[o];
            const double compute =
                w_.products[static_cast<std::size_t>(w_.offers[o].product)].compute;
            const double units = demand_[b] / considered / (compute > 0.0 ? compute : 1.0);
            shape.buyer_rows += r;
            shape.buyer_bytes += r * flow_bytes(o, dest, units / rows_available, buyer_width);
            Cell& c = cells_[o];
            c.rows += r;
            c.most = std::max(c.most, rows_available);
            c.units += units;
            c.restricted = std::max(c.restricted, share);
            c.value = available_[o];
        }
        shape.country_demand[dest] += demand_[b];
    }
    // --detail country: the buyers of a destination see the same prices and routes, so their
    // purchases of an offer share rows; restricted ones may choose one more route among them
    // (their risk tolerances differ). Never more than one row per route and channel.
    const double cap = (1.0 + static_cast<double>(w_.routes.size()) + remote_sites) * 2.0;
    for (std::size_t o = 0; o < w_.offers.size(); ++o) {
        const Cell& c = cells_[o];
        if (c.rows == 0.0) continue;
        // (c.value holds the offer's available share here.)
        const double r = std::min({c.rows / c.value, c.most + c.restricted, cap});
        shape.country_rows += r * c.value;
        shape.country_bytes += r * c.value * flow_bytes(o, dest, c.units / r, 1.0);
    }
}

void ShapeBuilder::add_billing(const std::vector<std::size_t>& buyers, std::size_t billing,
                               FlowShape& shape) {
    cells_.assign(w_.suppliers.size(), Cell{});
    for (const std::size_t b : buyers) {
        const auto& buyer = w_.buyers[b];
        double considered = 0.0;
        for (const double x : buyer.weights) considered += x > 0.0 ? 1.0 : 0.0;
        if (considered == 0.0) continue;
        for (std::size_t o = 0; o < w_.offers.size(); ++o) {
            if (!(buyer.weights[o] > 0.0) || available_[o] <= 0.0) continue;
            const auto& off = w_.offers[o];
            const double compute = w_.products[static_cast<std::size_t>(off.product)].compute;
            const double units = demand_[b] / considered / (compute > 0.0 ? compute : 1.0);
            Cell& c = cells_[static_cast<std::size_t>(off.supplier)];
            const double r = rows(b, o).first;
            c.most = std::max(c.most, r);
            c.rows = std::max(c.rows, available_[o]);  // the share of the run it sells
            c.units += units;
            c.value += units * off.price;
        }
    }
    const double tick_width = mean_tick_digits(ticks_) + 1.0 + kDateWidth;
    for (std::size_t s = 0; s < w_.suppliers.size(); ++s) {
        const Cell& c = cells_[s];
        if (c.rows == 0.0) continue;
        const double split = std::min(c.most, kRevenueChannels);  // channels in one tick
        shape.revenue_rows += split * c.rows;
        shape.revenue_bytes +=
            split * c.rows *
            (supplier_[s] + country_[billing] + number_width(c.units / split, kQuantityDecimals) +
             number_width(c.value / split, kUsdDecimals) + 7.0 + tick_width);
    }
}

FlowShape ShapeBuilder::build() {
    FlowShape shape;
    shape.country_demand.assign(w_.countries.size(), 0.0);
    std::vector<std::vector<std::size_t>> by_country(w_.countries.size());
    std::vector<std::vector<std::size_t>> by_billing(w_.countries.size());
    for (std::size_t b = 0; b < w_.buyers.size(); ++b) {
        const auto& buyer = w_.buyers[b];
        if (buyer.country != model::kNone)
            by_country[static_cast<std::size_t>(buyer.country)].push_back(b);
        const Index billing =
            buyer.billing_country != model::kNone ? buyer.billing_country : buyer.country;
        if (billing != model::kNone) by_billing[static_cast<std::size_t>(billing)].push_back(b);
    }
    for (std::size_t c = 0; c < by_country.size(); ++c)
        if (!by_country[c].empty()) add_destination(by_country[c], c, shape);
    for (std::size_t c = 0; c < by_billing.size(); ++c)
        if (!by_billing[c].empty()) add_billing(by_billing[c], c, shape);
    return shape;
}

}  // namespace

double OutputEstimate::total_bytes() const {
    double sum = 0.0;
    for (const auto& f : files) sum += f.bytes;
    return sum;
}

std::string OutputEstimate::largest(std::size_t count) const {
    std::string out;
    for (std::size_t i = 0; i < files.size() && i < count; ++i) {
        if (files[i].bytes <= 0.0) break;
        if (!out.empty()) out += ", ";
        out += fmt::format("{} ≈ {}", files[i].name, format_size(files[i].bytes));
    }
    return out;
}

OutputEstimate estimate_run_output(const model::Scenario& s, RunWriterOptions::Detail detail,
                                   int runs) {
    // The world the engine runs and the writer prints: design-around variants and the
    // synthetic buyers of suppliers' purchases included.
    const engine::World world = engine::build_world(s);
    const model::Scenario& w = world.scenario;
    const double n_runs = std::max(1, runs);
    const double ticks = std::max(0, w.time.ticks);
    const bool run_column = runs > 1;
    // "[run,]tick,date," before the columns of every per-tick row.
    const double prefix =
        (run_column ? digits(n_runs) + 1.0 : 0.0) + mean_tick_digits(ticks) + 1.0 + kDateWidth;
    const double supplier = mean_length(w.suppliers, [](const auto& p) { return p.id; }) + 1.0;
    const double product = mean_length(w.products, [](const auto& p) { return p.id; }) + 1.0;
    const double buyer = mean_length(w.buyers, [](const auto& p) { return p.id; }) + 1.0;
    const double country = mean_length(w.countries, [](const auto& p) { return p.code; }) + 1.0;
    const double offers = static_cast<double>(w.offers.size());
    const FlowShape shape = ShapeBuilder(world, ticks).build();

    std::vector<FileEstimate> files;
    // A file of `rows` rows per tick of `bytes` bytes in all (without the prefix) per tick.
    const auto add = [&](std::string_view name, double rows, double bytes) {
        const double all = rows * ticks * n_runs;
        files.push_back(FileEstimate{
            std::string(name), all,
            header_bytes(name, run_column) + (bytes + rows * prefix) * ticks * n_runs});
    };
    if (detail == RunWriterOptions::Detail::buyer)
        add(kFlowsCsv, shape.buyer_rows, shape.buyer_bytes);
    else if (detail == RunWriterOptions::Detail::country)
        add(kFlowsCsv, shape.country_rows, shape.country_bytes);
    // countries.csv: imports, compute used and unmet of the size of the country's demand, a
    // price index near 1, and diversions, seizures, remote compute and revenues mostly zero.
    double country_bytes = 0.0;
    for (std::size_t c = 0; c < w.countries.size(); ++c)
        country_bytes += static_cast<double>(csv_field(w.countries[c].code).size()) + 1.0 +
                         4.0 * number_width(shape.country_demand[c], kQuantityDecimals) +
                         number_width(1.0, kPriceDecimals) + 3.0 * number_width(0.0, 4) +
                         2.0 * number_width(0.0, kUsdDecimals);
    add(kCountriesCsv, static_cast<double>(w.countries.size()), country_bytes);
    // markets.csv: the price, and capacity, output, orders, shipments and stocks of the size of
    // the capacity (or of the demand for an unlimited one).
    double market_bytes = 0.0;
    for (const auto& off : w.offers) {
        const double size = std::isfinite(off.capacity) ? off.capacity : 1e6;
        market_bytes +=
            static_cast<double>(
                csv_field(w.suppliers[static_cast<std::size_t>(off.supplier)].id).size() +
                csv_field(w.products[static_cast<std::size_t>(off.product)].id).size()) +
            2.0 + number_width(off.price, kPriceDecimals) +
            7.0 * number_width(size, kQuantityDecimals);
    }
    add(kMarketsCsv, offers, market_bytes);
    add(kRevenueCsv, shape.revenue_rows, shape.revenue_bytes);
    double purchases = 0.0;
    for (const auto& sup : w.suppliers) purchases += static_cast<double>(sup.purchases.size());
    if (purchases > 0)
        add(kSuppliersCsv, purchases, purchases * (supplier + product + 10.0 + 7.0 * kNumberWidth));
    // soft_routes.csv: at most one row per route and per buyer with remote compute.
    if (engine::has_soft_routes(w)) {
        const double n = static_cast<double>(
            w.routes.size() + static_cast<std::size_t>(std::count_if(
                                  w.buyers.begin(), w.buyers.end(),
                                  [](const model::Buyer& b) { return b.remote.has_value(); })));
        add(kSoftRoutesCsv, n, n * (country + buyer + 10.0 + 4.0 * kNumberWidth));
    }
    double pools = 0.0;
    for (const auto& sup : w.suppliers) pools += static_cast<double>(sup.pools.size());
    if (pools > 0) add(kPoolsCsv, pools, pools * (supplier + 12.0 + 4.0 * kNumberWidth));
    // events.csv: a few lines per policy, reaction and supplier over a whole run.
    const double events = 3.0 * static_cast<double>(s.policies.size() + s.reactions.size()) +
                          2.0 * static_cast<double>(s.suppliers.size());
    files.push_back(
        FileEstimate{std::string(kEventsCsv), events * n_runs, events * n_runs * (prefix + 60.0)});
    // summary.csv: a few metrics per country, offer, supplier and buyer (five statistics each
    // for ensembles), plus the resolved scenario and manifest.
    const double metrics = summary_rows_estimate(s) * (runs > 1 ? 5.0 : 1.0);
    files.push_back(FileEstimate{std::string(kSummaryCsv), metrics, metrics * 45.0});
    std::stable_sort(files.begin(), files.end(), [](const FileEstimate& a, const FileEstimate& b) {
        return a.bytes > b.bytes;
    });
    return OutputEstimate{std::move(files), run_advice(detail, runs)};
}

std::string run_advice(RunWriterOptions::Detail detail, int runs) {
    // Advice that fits the job: no coarser --detail than the one asked for, no "fewer runs" for
    // a single run.
    const std::string_view shorter = runs > 1 ? "fewer runs or ticks" : "fewer ticks";
    switch (detail) {
        case RunWriterOptions::Detail::buyer:
            return fmt::format("use --detail country or none, {}", shorter);
        case RunWriterOptions::Detail::country:
            return fmt::format("use --detail none, {}", shorter);
        case RunWriterOptions::Detail::none:
            break;
    }
    return fmt::format("use {}", shorter);
}

double summary_rows_estimate(const model::Scenario& s) {
    // A few metrics per country, offer, supplier and buyer; four per route (hub routes and a
    // direct one per country); five for each channel.
    return 6.0 * static_cast<double>(s.countries.size() + s.offers.size() + s.suppliers.size() +
                                     s.buyers.size()) +
           4.0 * static_cast<double>(s.routes.size() + s.countries.size()) +
           5.0 * static_cast<double>(engine::kChannels);
}

OutputEstimate estimate_sweep_output(std::size_t variants, int runs, std::size_t parameters,
                                     double summary_rows) {
    const double v = static_cast<double>(variants);
    const double r = std::max(1, runs);
    const double p = static_cast<double>(parameters);
    const double m = std::max(1.0, summary_rows);
    // Every row repeats the variant's columns, then scope, key and metric (~40 characters).
    const double label = digits(std::max(1.0, v)) + p * kNumberWidth + 42.0;
    std::vector<FileEstimate> files;
    files.push_back(
        FileEstimate{"runs.csv", v * r * m, v * r * m * (label + digits(r) + 1.0 + kNumberWidth)});
    files.push_back(
        FileEstimate{std::string(kSummaryCsv), v * m, v * m * (label + 7.0 * kNumberWidth)});
    std::stable_sort(files.begin(), files.end(), [](const FileEstimate& a, const FileEstimate& b) {
        return a.bytes > b.bytes;
    });
    return OutputEstimate{std::move(files), "use fewer variants or runs"};
}

std::string format_size(double bytes) {
    static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    std::size_t unit = 0;
    double x = std::max(0.0, bytes);
    while (x >= 1000.0 && unit + 1 < std::size(kUnits)) {
        x /= 1000.0;
        ++unit;
    }
    if (unit == 0) return fmt::format("{:.0f} B", x);
    return x < 10.0 ? fmt::format("{:.1f} {}", x, kUnits[unit])
                    : fmt::format("{:.0f} {}", x, kUnits[unit]);
}

std::optional<double> parse_size(std::string_view text) {
    std::string t;
    for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "none") return std::numeric_limits<double>::infinity();
    if (!t.empty() && t.back() == 'b') t.pop_back();
    double scale = 1.0;
    if (!t.empty()) {
        switch (t.back()) {
            case 'k':
                scale = 1e3;
                break;
            case 'm':
                scale = 1e6;
                break;
            case 'g':
                scale = 1e9;
                break;
            case 't':
                scale = 1e12;
                break;
            case 'p':
                scale = 1e15;
                break;
            default:
                break;
        }
        if (scale != 1.0) t.pop_back();
    }
    if (t.empty() || !(std::isdigit(static_cast<unsigned char>(t.front())))) return std::nullopt;
    double x = 0.0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    if (ec != std::errc{} || end != t.data() + t.size() || !std::isfinite(x) || x <= 0.0)
        return std::nullopt;
    return x * scale;
}

namespace {

/// A --max-output value that would allow `total` bytes: rounded up to whole MB, GB or TB.
std::string allowing(double total) {
    return total < 1e9    ? fmt::format("{:.0f}M", std::ceil(total / 1e6))
           : total < 1e12 ? fmt::format("{:.0f}G", std::ceil(total / 1e9))
                          : fmt::format("{:.0f}T", std::ceil(total / 1e12));
}

}  // namespace

void check_output_size(const OutputEstimate& estimate, double limit, std::string_view command) {
    const double total = estimate.total_bytes();
    if (total <= limit) return;
    throw InputError(fmt::format(
        "tradesim {}: would write about {} ({}), more than the limit of {}; {}, or --max-output "
        "SIZE to allow it (e.g. --max-output {}, or none)",
        command, format_size(total), estimate.largest(), format_size(limit), estimate.advice,
        allowing(total)));
}

OutputBudget::OutputBudget(double limit, std::string_view command, std::string advice, int ticks,
                           int runs)
    : limit_(limit),
      command_(command),
      advice_(std::move(advice)),
      ticks_(std::max(1, ticks)),
      runs_(std::max(1, runs)) {}

void OutputBudget::add(std::uint64_t bytes) {
    const std::uint64_t total = bytes_.fetch_add(bytes) + bytes;
    const std::uint64_t done = ticks_done_.fetch_add(1) + 1;
    if (static_cast<double>(total) <= limit_) return;
    const double all = static_cast<double>(ticks_) * runs_;
    const double projected =
        static_cast<double>(total) * std::max(1.0, all / static_cast<double>(done));
    const std::string of =
        runs_ > 1 ? fmt::format("{} of {} ticks ({} runs of {})", done, all, runs_, ticks_)
                  : fmt::format("{} of {} ticks", done, ticks_);
    throw OutputLimitError(fmt::format(
        "tradesim {}: stopped after writing {} in {}, more than the limit of {} (the whole job "
        "would write about {}); partial outputs removed; {}, or --max-output SIZE to allow it "
        "(e.g. --max-output {}, or none)",
        command_, format_size(static_cast<double>(total)), of, format_size(limit_),
        format_size(projected), advice_, allowing(projected)));
}

}  // namespace ts::io
