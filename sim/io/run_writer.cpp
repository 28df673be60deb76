#include "io/run_writer.hpp"

#include <algorithm>

#include <iterator>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/error.hpp"
#include "engine/soft_routes.hpp"
#include "io/output_estimate.hpp"
#include "io/output_schema.hpp"

namespace ts::io {

namespace fs = std::filesystem;
using engine::Index;

namespace {

const std::string& name_of(const std::vector<std::string>& names, Index i, const char* what) {
    static const std::string kEmpty;
    if (i == model::kNone) return kEmpty;
    if (i < 0 || static_cast<std::size_t>(i) >= names.size())
        throw RunError(fmt::format("output: record names {} index {}, but the scenario has {}",
                                   what, i, names.size()));
    return names[static_cast<std::size_t>(i)];
}

template <class T, class F>
std::vector<std::string> csv_names(const std::vector<T>& items, F id) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back(csv_field(id(item)));
    return out;
}

fs::path in_dir(const fs::path& dir, std::string_view name) {
    return dir / fs::path(name);
}

}  // namespace

const char* to_string(RunWriterOptions::Detail d) {
    switch (d) {
        case RunWriterOptions::Detail::buyer:
            return "buyer";
        case RunWriterOptions::Detail::country:
            return "country";
        case RunWriterOptions::Detail::none:
            return "none";
    }
    return "?";
}

std::optional<RunWriterOptions::Detail> parse_flows_detail(std::string_view text) {
    if (text == "buyer") return RunWriterOptions::Detail::buyer;
    if (text == "country") return RunWriterOptions::Detail::country;
    if (text == "none") return RunWriterOptions::Detail::none;
    return std::nullopt;
}

std::size_t CsvRunWriter::FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (const std::int64_t v :
         {std::int64_t{k.supplier}, std::int64_t{k.product}, std::int64_t{k.origin},
          std::int64_t{k.via}, std::int64_t{k.destination}, static_cast<std::int64_t>(k.channel)}) {
        h ^= static_cast<std::uint64_t>(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    // Final mix (murmur3's fmix64): the low bits index an open-addressing table.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::size_t>(h);
}

CsvRunWriter::CsvRunWriter(const model::Scenario& scenario, const fs::path& dir,
                           RunWriterOptions options)
    : scenario_(&scenario),
      options_(options),
      countries_csv_(in_dir(dir, kCountriesCsv), output_header(kCountriesCsv, options.run_column),
                     options.sync),
      markets_csv_(in_dir(dir, kMarketsCsv), output_header(kMarketsCsv, options.run_column),
                   options.sync),
      revenue_csv_(in_dir(dir, kRevenueCsv), output_header(kRevenueCsv, options.run_column),
                   options.sync),
      events_csv_(in_dir(dir, kEventsCsv), output_header(kEventsCsv, options.run_column),
                  options.sync) {
    if (options.flows_detail != RunWriterOptions::Detail::none) {
        flows_ = std::make_unique<CsvWriter>(
            in_dir(dir, kFlowsCsv), output_header(kFlowsCsv, options.run_column), options.sync);
    }
    // suppliers.csv exists only for multi-tier worlds (suppliers that buy inputs or equipment).
    const bool multi_tier =
        std::any_of(scenario.suppliers.begin(), scenario.suppliers.end(),
                    [](const model::Supplier& sup) { return !sup.purchases.empty(); });
    if (multi_tier) {
        suppliers_csv_ = std::make_unique<CsvWriter>(
            in_dir(dir, kSuppliersCsv), output_header(kSuppliersCsv, options.run_column),
            options.sync);
    }
    // soft_routes.csv exists only when a route or remote channel is soft (a *_doubles_at key).
    if (engine::has_soft_routes(scenario)) {
        soft_routes_csv_ = std::make_unique<CsvWriter>(
            in_dir(dir, kSoftRoutesCsv), output_header(kSoftRoutesCsv, options.run_column),
            options.sync);
    }
    // pools.csv exists only for worlds with capacity pools.
    if (std::any_of(scenario.suppliers.begin(), scenario.suppliers.end(),
                    [](const model::Supplier& sup) { return !sup.pools.empty(); })) {
        pools_csv_ = std::make_unique<CsvWriter>(
            in_dir(dir, kPoolsCsv), output_header(kPoolsCsv, options.run_column), options.sync);
    }
    cache_names(scenario);
}

CsvRunWriter::~CsvRunWriter() = default;

void CsvRunWriter::cache_names(const model::Scenario& scenario) {
    scenario_ = &scenario;
    countries_ = csv_names(scenario.countries, [](const model::Country& c) { return c.code; });
    products_ = csv_names(scenario.products, [](const model::Product& p) { return p.id; });
    suppliers_ = csv_names(scenario.suppliers, [](const model::Supplier& s) { return s.id; });
    buyers_ = csv_names(scenario.buyers, [](const model::Buyer& b) { return b.id; });
}

void CsvRunWriter::check_open(const char* what) const {
    if (committed_) throw RunError(fmt::format("output: {}() after end()", what));
}

std::uint64_t CsvRunWriter::bytes() const {
    std::uint64_t sum =
        countries_csv_.bytes() + markets_csv_.bytes() + revenue_csv_.bytes() + events_csv_.bytes();
    for (const auto* w :
         {flows_.get(), suppliers_csv_.get(), soft_routes_csv_.get(), pools_csv_.get()})
        if (w) sum += w->bytes();
    return sum;
}

void CsvRunWriter::begin(const model::Scenario& scenario, int run) {
    check_open("begin");
    if (&scenario != scenario_) cache_names(scenario);
    run_ = run;
}

const std::string& CsvRunWriter::arrival_date(int tick) {
    if (tick != arrival_tick_) {
        arrival_tick_ = tick;
        arrival_date_ = format_date(scenario_->time.calendar().date_of(tick));
    }
    return arrival_date_;
}

void CsvRunWriter::write_flow(const engine::FlowRecord& f, bool with_buyer) {
    CsvWriter& w = *flows_;
    w.preformatted(prefix_)
        .preformatted(name_of(suppliers_, f.supplier, "supplier"))
        .preformatted(name_of(products_, f.product, "product"))
        .preformatted(name_of(countries_, f.origin, "country"))
        .preformatted(f.via == model::kNone ? kDirectVia : name_of(countries_, f.via, "country"))
        .preformatted(name_of(countries_, f.destination, "country"));
    if (with_buyer)
        w.preformatted(name_of(buyers_, f.buyer, "buyer"));
    else
        w.empty();
    w.preformatted(engine::to_string(f.channel))
        .number(f.units, kQuantityDecimals)
        .number(f.compute, kQuantityDecimals)
        .number(f.value_usd, kUsdDecimals)
        .number(f.tariff_usd, kUsdDecimals)
        .number(f.fee_usd, kUsdDecimals)
        .number(f.seized_units, kQuantityDecimals)
        .integer(f.arrival_tick)
        .preformatted(arrival_date(f.arrival_tick))
        .end_row();
}

void CsvRunWriter::write_flows(const engine::TickRecord& tick) {
    if (!flows_) return;
    if (options_.flows_detail == RunWriterOptions::Detail::buyer) {
        for (const auto& f : tick.flows) write_flow(f, true);
        return;
    }
    // Detail::country: sum over buyers, keeping the order in which keys first appear.
    summed_.clear();
    for (const std::size_t slot : used_slots_) summed_slots_[slot] = 0;
    used_slots_.clear();
    std::size_t size = 64;
    while (size < 2 * tick.flows.size()) size *= 2;
    if (summed_slots_.size() < size) summed_slots_.assign(size, 0);
    const std::size_t mask = summed_slots_.size() - 1;
    const FlowKeyHash hash;
    for (const auto& f : tick.flows) {
        const FlowKey key{f.supplier, f.product, f.origin, f.via, f.destination, f.channel};
        std::size_t slot = hash(key) & mask;
        while (summed_slots_[slot] != 0) {
            const auto& g = summed_[summed_slots_[slot] - 1];
            if (FlowKey{g.supplier, g.product, g.origin, g.via, g.destination, g.channel} == key)
                break;
            slot = (slot + 1) & mask;
        }
        if (summed_slots_[slot] == 0) {
            summed_.push_back(f);
            summed_.back().buyer = model::kNone;
            summed_slots_[slot] = static_cast<std::uint32_t>(summed_.size());
            used_slots_.push_back(slot);
            continue;
        }
        summed_[summed_slots_[slot] - 1].add(f);
    }
    for (const auto& f : summed_) write_flow(f, false);
}

void CsvRunWriter::record(const engine::TickRecord& tick) {
    check_open("record");
    prefix_.clear();
    if (options_.run_column) fmt::format_to(std::back_inserter(prefix_), "{},", run_);
    fmt::format_to(std::back_inserter(prefix_), "{},{}", tick.tick, format_date(tick.date));

    write_flows(tick);

    for (const auto& c : tick.countries) {
        countries_csv_.preformatted(prefix_)
            .preformatted(name_of(countries_, c.country, "country"))
            .number(c.imports_units, kQuantityDecimals)
            .number(c.imports_compute, kQuantityDecimals)
            .number(c.diverted_compute, kQuantityDecimals)
            .number(c.seized_units, kQuantityDecimals)
            .number(c.unmet_compute, kQuantityDecimals)
            .number(c.price_index, kPriceDecimals)
            .number(c.tariff_revenue_usd, kUsdDecimals)
            .number(c.fee_revenue_usd, kUsdDecimals)
            .number(c.remote_compute, kQuantityDecimals)
            .number(c.compute_used, kQuantityDecimals)
            .end_row();
    }

    for (const auto& m : tick.markets) {
        if (m.offer < 0 || static_cast<std::size_t>(m.offer) >= scenario_->offers.size())
            throw RunError(
                fmt::format("output: record names offer index {}, but the scenario has {}", m.offer,
                            scenario_->offers.size()));
        const auto& offer = scenario_->offers[static_cast<std::size_t>(m.offer)];
        markets_csv_.preformatted(prefix_)
            .preformatted(name_of(suppliers_, offer.supplier, "supplier"))
            .preformatted(name_of(products_, offer.product, "product"))
            .number(m.price, kPriceDecimals)
            .number(m.capacity, kQuantityDecimals)
            .number(m.produced, kQuantityDecimals)
            .number(m.orders, kQuantityDecimals)
            .number(m.shipped, kQuantityDecimals)
            .number(m.stock, kQuantityDecimals)
            .number(m.opening_stock, kQuantityDecimals)
            .end_row();
    }

    for (const auto& r : tick.revenue) {
        revenue_csv_.preformatted(prefix_)
            .preformatted(name_of(suppliers_, r.supplier, "supplier"))
            .preformatted(name_of(countries_, r.billing_country, "country"))
            .number(r.units, kQuantityDecimals)
            .number(r.revenue_usd, kUsdDecimals)
            .preformatted(engine::to_string(r.channel))
            .end_row();
    }

    if (suppliers_csv_) {
        for (const auto& r : tick.suppliers) {
            suppliers_csv_->preformatted(prefix_)
                .preformatted(name_of(suppliers_, r.supplier, "supplier"))
                .preformatted(name_of(products_, r.product, "product"))
                .preformatted(r.equipment ? "equipment" : "input")
                .number(r.opening, kQuantityDecimals)
                .number(r.received, kQuantityDecimals)
                .number(r.used, kQuantityDecimals)
                .number(r.closing, kQuantityDecimals)
                .number(r.pipeline, kQuantityDecimals)
                .number(r.capacity, kQuantityDecimals)
                .end_row();
        }
    }

    if (soft_routes_csv_) {
        for (const auto& r : tick.soft_routes) {
            const bool hub = r.route != model::kNone;
            soft_routes_csv_->preformatted(prefix_)
                .preformatted(hub ? "route" : "remote")
                .preformatted(
                    hub ? name_of(countries_,
                                  scenario_->routes[static_cast<std::size_t>(r.route)].via,
                                  "country")
                        : std::string{})
                .preformatted(name_of(buyers_, r.buyer, "buyer"))
                .number(r.volume, kQuantityDecimals)
                .number(r.priced, kQuantityDecimals)
                .number(r.markup, kRateDecimals)
                .number(r.detection, kRateDecimals)
                .end_row();
        }
    }

    if (pools_csv_) {
        for (const auto& r : tick.pools) {
            pools_csv_->preformatted(prefix_)
                .preformatted(name_of(suppliers_, r.supplier, "supplier"))
                .text(scenario_->suppliers[static_cast<std::size_t>(r.supplier)].pools[r.pool].id)
                .number(r.capacity, kQuantityDecimals)
                .number(r.demand, kQuantityDecimals)
                .number(r.granted, kQuantityDecimals)
                .number(r.used, kQuantityDecimals)
                .preformatted(r.binding ? "1" : "0")
                .end_row();
        }
    }

    for (const auto& e : tick.events) {
        events_csv_.preformatted(prefix_)
            .text(e.actor)
            .text(e.id)
            .preformatted(engine::to_string(e.event))
            .text(e.detail)
            .end_row();
    }

    if (options_.budget) {  // --max-output, while writing
        const std::uint64_t now = bytes();
        const std::uint64_t tick_bytes = now - counted_;
        counted_ = now;
        options_.budget->add(tick_bytes);
    }
}

void CsvRunWriter::end() {
    check_open("end");
    if (flows_) flows_->commit();
    if (suppliers_csv_) suppliers_csv_->commit();
    if (soft_routes_csv_) soft_routes_csv_->commit();
    if (pools_csv_) pools_csv_->commit();
    countries_csv_.commit();
    markets_csv_.commit();
    revenue_csv_.commit();
    events_csv_.commit();
    committed_ = true;
}

void write_summary_csv(const std::vector<analysis::SummaryRow>& rows, const fs::path& path,
                       bool sync) {
    CsvWriter w(path, output_header(kSummaryCsv, false), sync);
    for (const auto& r : rows)
        w.text(r.scope).text(r.key).text(r.metric).number(r.value, kSummaryDecimals).end_row();
    w.commit();
}

}  // namespace ts::io
