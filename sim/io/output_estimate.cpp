#include "io/output_estimate.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "engine/soft_routes.hpp"

namespace ts::io {

namespace {

constexpr double kNumberWidth = 12.0;  // "12345.6789," and the like
constexpr double kDateWidth = 11.0;    // "2023-01-01,"

double digits(double n) {
    return n < 10.0 ? 1.0 : std::floor(std::log10(n)) + 1.0;
}

template <class T, class F>
double mean_length(const std::vector<T>& items, F id) {
    if (items.empty()) return 0.0;
    double sum = 0.0;
    for (const auto& item : items) sum += static_cast<double>(id(item).size());
    return sum / static_cast<double>(items.size());
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
    const double n_runs = std::max(1, runs);
    const double ticks = std::max(0, s.time.ticks);
    // "[run,]tick,date," before the columns of every per-tick row.
    const double prefix =
        (runs > 1 ? digits(n_runs) + 1.0 : 0.0) + digits(std::max(1.0, ticks)) + 1.0 + kDateWidth;
    const double country = 4.0;  // "USA,"
    const double product = mean_length(s.products, [](const auto& p) { return p.id; }) + 1.0;
    const double supplier = mean_length(s.suppliers, [](const auto& p) { return p.id; }) + 1.0;
    const double buyer = mean_length(s.buyers, [](const auto& p) { return p.id; }) + 1.0;
    const double offers = static_cast<double>(s.offers.size());
    const double routes = static_cast<double>(s.routes.size());

    // One flow per (offer, route, buyer, licensed or not): routes are direct, each hub and
    // each remote site of the buyer; a licensed variant exists only under export controls.
    // In one tick a buyer ships an offer over at most one route per clearing round (the first
    // choice and each re-choice), and licensed goods over at most one route per tick of the
    // longest licence delay (grants of requests made in different ticks).
    const bool controls = std::any_of(
        s.policies.begin(), s.policies.end(),
        [](const model::Policy& p) { return p.type == model::PolicyType::export_control; });
    const double licence_factor = controls ? 2.0 : 1.0;
    const double rounds = 1.0 + std::max(0, engine::RunConfig{}.rechoice_rounds);
    int longest_delay = 0;
    for (const auto& p : s.policies)
        if (p.licence) longest_delay = std::max(longest_delay, p.licence->delay_ticks);
    double buyer_rows = 0.0;
    std::set<std::pair<model::Index, std::size_t>> destinations;  // (country, remote sites)
    for (const auto& b : s.buyers) {
        double buys = offers;
        if (!b.weights.empty())
            buys = static_cast<double>(
                std::count_if(b.weights.begin(), b.weights.end(), [](double w) { return w > 0; }));
        const std::size_t remote = b.remote ? b.remote->via.size() : 0;
        const double ways = 1.0 + routes + static_cast<double>(remote);
        const double licensed = controls ? std::min(ways, longest_delay + 1.0) : 0.0;
        buyer_rows += buys * (std::min(ways, rounds) + licensed);
        destinations.insert({b.country, remote});
    }
    // --detail country sums over the buyers of a destination: at most one row per
    // (offer, route, destination, channel).
    double country_rows = 0.0;
    for (const auto& [c, remote] : destinations) {
        (void)c;
        country_rows += offers * (1.0 + routes + static_cast<double>(remote)) * licence_factor;
    }
    country_rows = std::min(country_rows, buyer_rows);

    const double per_run = ticks;
    std::vector<FileEstimate> files;
    const auto add = [&](std::string name, double rows_per_tick, double width) {
        const double rows = rows_per_tick * per_run * n_runs;
        files.push_back(FileEstimate{std::move(name), rows, rows * (prefix + width)});
    };
    // via may be "direct"; arrival_tick and arrival_date close each row.
    const double flow_width =
        supplier + product + 3.0 * std::max(country, 6.0) + 13.0 + 7.0 * kNumberWidth + 11.0;
    if (detail == RunWriterOptions::Detail::buyer)
        add(std::string(kFlowsCsv), buyer_rows, flow_width + buyer);
    else if (detail == RunWriterOptions::Detail::country)
        add(std::string(kFlowsCsv), country_rows, flow_width + 1.0);
    add(std::string(kCountriesCsv), static_cast<double>(s.countries.size()),
        country + 10.0 * kNumberWidth);
    add(std::string(kMarketsCsv), offers, supplier + product + 7.0 * kNumberWidth);
    // revenue.csv: a row per supplier, billing country and channel, never more than flows.
    add(std::string(kRevenueCsv),
        std::min(static_cast<double>(s.suppliers.size()) * static_cast<double>(s.countries.size()) *
                     static_cast<double>(engine::kChannels),
                 buyer_rows),
        supplier + country + 13.0 + 2.0 * kNumberWidth);
    double purchases = 0.0;
    for (const auto& sup : s.suppliers) purchases += static_cast<double>(sup.purchases.size());
    if (purchases > 0)
        add(std::string(kSuppliersCsv), purchases, supplier + product + 10.0 + 7.0 * kNumberWidth);
    // soft_routes.csv: at most one row per route and per buyer with remote compute.
    if (engine::has_soft_routes(s))
        add(std::string(kSoftRoutesCsv), static_cast<double>(s.routes.size() + s.buyers.size()),
            country + buyer + 10.0 + 4.0 * kNumberWidth);
    double pools = 0.0;
    for (const auto& sup : s.suppliers) pools += static_cast<double>(sup.pools.size());
    if (pools > 0) add(std::string(kPoolsCsv), pools, supplier + 12.0 + 4.0 * kNumberWidth);
    // events.csv: a few lines per policy, reaction and supplier over a whole run.
    const double events = 3.0 * static_cast<double>(s.policies.size() + s.reactions.size()) +
                          2.0 * static_cast<double>(s.suppliers.size());
    files.push_back(
        FileEstimate{std::string(kEventsCsv), events * n_runs, events * n_runs * (prefix + 60.0)});
    // summary.csv: a few metrics per country, offer, supplier and buyer (five statistics each
    // for ensembles), plus the resolved scenario and manifest.
    const double metrics = summary_rows_estimate(s);
    files.push_back(FileEstimate{std::string(kSummaryCsv), metrics * (runs > 1 ? 5.0 : 1.0),
                                 metrics * (runs > 1 ? 5.0 : 1.0) * 60.0});
    std::stable_sort(files.begin(), files.end(), [](const FileEstimate& a, const FileEstimate& b) {
        return a.bytes > b.bytes;
    });
    // Advice that fits the job: no coarser --detail than the one asked for, no "fewer runs" for
    // a single run.
    const std::string_view shorter = runs > 1 ? "fewer runs or ticks" : "fewer ticks";
    std::string advice;
    switch (detail) {
        case RunWriterOptions::Detail::buyer:
            advice = fmt::format("use --detail country or none, {}", shorter);
            break;
        case RunWriterOptions::Detail::country:
            advice = fmt::format("use --detail none, {}", shorter);
            break;
        case RunWriterOptions::Detail::none:
            advice = fmt::format("use {}", shorter);
            break;
    }
    return OutputEstimate{std::move(files), std::move(advice)};
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

void check_output_size(const OutputEstimate& estimate, double limit, std::string_view command) {
    const double total = estimate.total_bytes();
    if (total <= limit) return;
    // A limit that would allow it: the total rounded up to whole gigabytes or terabytes.
    const std::string allow = total < 1e9    ? fmt::format("{:.0f}M", std::ceil(total / 1e6))
                              : total < 1e12 ? fmt::format("{:.0f}G", std::ceil(total / 1e9))
                                             : fmt::format("{:.0f}T", std::ceil(total / 1e12));
    throw InputError(fmt::format(
        "tradesim {}: would write about {} ({}), more than the limit of {}; {}, or --max-output "
        "SIZE to allow it (e.g. --max-output {}, or none)",
        command, format_size(total), estimate.largest(), format_size(limit), estimate.advice,
        allow));
}

}  // namespace ts::io
