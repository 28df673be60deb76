#include "io/output_schema.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/records.hpp"
#include "io/manifest.hpp"

namespace ts::io {

namespace fs = std::filesystem;

namespace {

/// The statistics of a metric over an ensemble's runs (summary.csv of ensembles and sweeps).
const OutputColumn kStats[] = {{"mean", "number", "", "sample mean over runs (the metric's unit)"},
                               {"sd", "number", "", "sample standard deviation over runs"},
                               {"p05", "number", "", "5th percentile over runs (type 7)"},
                               {"p50", "number", "", "median over runs"},
                               {"p95", "number", "", "95th percentile over runs"},
                               {"runs", "integer", "", "number of runs"},
                               {"se", "number", "", "standard error of the mean, sd / sqrt(runs)"}};

const OutputColumn kTick{"tick", "integer", "tick", "tick index, 0 for the scenario's start"};
const OutputColumn kDate{"date", "date", "", "first day of the tick (ISO 8601)"};
/// The channel names as the writers print them (engine::to_string).
const std::vector<std::string_view> kChannelNames = [] {
    std::vector<std::string_view> names;
    for (std::size_t c = 0; c < engine::kChannels; ++c)
        names.emplace_back(engine::to_string(static_cast<engine::Channel>(c)));
    return names;
}();

const OutputColumn kScope{"scope",
                          "string",
                          "",
                          "what the metric is about (docs/outputs.md, summary.csv)",
                          {"world", "country", "supplier", "offer", "revenue", "route", "channel"}};

OutputColumn text(std::string_view name, std::string_view description) {
    return {name, "string", "", description};
}
OutputColumn number(std::string_view name, std::string_view unit, std::string_view description) {
    return {name, "number", unit, description};
}

/// The files of goods and money: flows, countries, markets, revenue.
std::vector<OutputFile> trade_files() {
    std::vector<OutputFile> files;
    files.push_back(
        {"flows.csv",
         "shipments, at the tick they leave: tick x supplier x product x route x buyer",
         {kTick,
          kDate,
          text("supplier", "supplier id"),
          text("product", "product id"),
          text("origin", "country the goods physically leave"),
          text("via",
               "hub country of a third-country route, data-centre country of remote "
               "use, or 'direct' for a direct shipment"),
          text("destination", "buyer's country"),
          text("buyer",
               "buyer id (the purchasing supplier for inputs and equipment); empty "
               "with --detail country"),
          {"channel", "string", "", "how the goods travel", kChannelNames},
          number("units", "units", "units shipped"),
          number("compute", "compute", "units x the product's compute per unit"),
          number("value_usd", "USD", "units x price, before tariff"),
          number("tariff_usd", "USD", "tariff paid to the destination government"),
          number("fee_usd", "USD", "export fee paid by the supplier"),
          number("seized_units", "units", "units seized on a diverted route"),
          {"arrival_tick", "integer", "tick",
           "tick the unseized units arrive (counted then in countries.csv imports_*)"},
          {"arrival_date", "date", "", "first day of the arrival tick"}},
         {"tick", "supplier", "product", "origin", "via", "destination", "buyer", "channel"}});
    files.push_back(
        {"countries.csv",
         "tick x country: arrivals, demand left unmet, prices, government revenue",
         {kTick, kDate, text("country", "country code"),
          number("imports_units", "units", "units arriving at the country's buyers"),
          number("imports_compute", "compute", "compute arriving at the country's buyers"),
          number("diverted_compute", "compute",
                 "compute arriving for the country's buyers through diversion"),
          number("seized_units", "units", "units bought by the country's buyers and seized"),
          number("unmet_compute", "compute", "compute the country's buyers wanted and did not get"),
          number("price_index", "USD per compute",
                 "demand-weighted landed cost per compute unit of the country's buyers"),
          number("tariff_revenue_usd", "USD", "tariffs the country collected"),
          number("fee_revenue_usd", "USD", "export fees the country collected"),
          number("remote_compute", "compute",
                 "compute the country's buyers use in data centres abroad"),
          number("compute_used", "compute",
                 "compute the country's buyers received, at home or abroad")},
         {"tick", "country"}});
    files.push_back({"markets.csv",
                     "tick x supplier x product: price, capacity and the stock identity "
                     "opening_stock + produced = shipped + stock",
                     {kTick, kDate, text("supplier", "supplier id"), text("product", "product id"),
                      number("price", "USD per unit", "price charged this tick"),
                      number("capacity", "units", "units the offer can produce this tick"),
                      number("produced", "units", "units produced this tick"),
                      number("orders", "units", "units ordered this tick"),
                      number("shipped", "units", "units shipped this tick"),
                      number("stock", "units", "closing stock"),
                      number("opening_stock", "units", "stock at the start of the tick")},
                     {"tick", "supplier", "product"}});
    files.push_back(
        {"revenue.csv",
         "tick x supplier x billing country x channel: sales as invoiced (diverted sales to the "
         "front buyer in the hub, remote use to the data centre abroad)",
         {kTick,
          kDate,
          text("supplier", "supplier id"),
          text("billing_country", "country invoiced"),
          number("units", "units", "units sold"),
          number("revenue_usd", "USD", "value less export fees"),
          {"channel", "string", "", "channel of the flows invoiced", kChannelNames}},
         {"tick", "supplier", "billing_country", "channel"}});
    return files;
}

/// Events, the files of multi-tier, soft-route and pooled worlds, and the summary.
std::vector<OutputFile> other_files() {
    std::vector<OutputFile> files;
    files.push_back({"events.csv",
                     "policy and behaviour events",
                     {kTick,
                      kDate,
                      text("actor", "country code or supplier id"),
                      text("id", "policy, reaction, product or pool id"),
                      {"event",
                       "string",
                       "",
                       "what happened",
                       {"announced", "in_force", "lapsed", "triggered", "launched", "capacity"}},
                      text("detail", "what the event did, in words")}});
    files.push_back({"suppliers.csv",
                     "tick x supplier x purchased input or equipment (multi-tier worlds)",
                     {kTick,
                      kDate,
                      text("supplier", "supplier id"),
                      text("product", "input or equipment"),
                      {"role", "string", "", "what the purchase is for", {"input", "equipment"}},
                      number("opening", "units", "stock at the start of the tick"),
                      number("received", "units", "units received (installed, for equipment)"),
                      number("used", "units", "units used (depreciated, for equipment)"),
                      number("closing", "units", "stock at the end of the tick"),
                      number("pipeline", "units", "units in transit or awaiting installation"),
                      number("capacity", "units", "capacity the installed equipment gives")},
                     {"tick", "supplier", "product"}});
    files.push_back(
        {"soft_routes.csv",
         "tick x soft route or remote channel",
         {kTick,
          kDate,
          {"channel", "string", "", "route or remote channel", {"route", "remote"}},
          text("via", "the hub; empty for remote"),
          text("buyer", "the buyer; empty for route"),
          number("volume", "units", "units through the route, or the buyer's remote compute"),
          number("priced_volume", "units", "smoothed volume the tick's terms were priced at"),
          number("markup", "fraction", "markup at that volume"),
          number("detection", "probability",
                 "the route's own detection at that volume, before enforcement")}});
    files.push_back({"pools.csv",
                     "tick x supplier x capacity pool",
                     {kTick,
                      kDate,
                      text("supplier", "supplier id"),
                      text("pool", "pool id"),
                      number("capacity", "pool units", "pool capacity this tick"),
                      number("demand", "pool units", "pool units last tick's orders would draw"),
                      number("granted", "pool units", "pool units granted to the offers"),
                      number("used", "pool units", "pool units drawn by production"),
                      {"binding", "integer", "", "1 when demand exceeded capacity", {"0", "1"}}},
                     {"tick", "supplier", "pool"}});
    files.push_back({"summary.csv",
                     "headline metric per scope (docs/outputs.md)",
                     {kScope, text("key", "the scope's id"), text("metric", "metric name"),
                      number("value", "", "the metric over the run (its unit is in its name)")},
                     {"scope", "key", "metric"},
                     false});
    files.push_back({"parameters.csv",
                     "run x uncertain path: the value each run drew (ensembles with parameter "
                     "uncertainty)",
                     {{"run", "integer", "", "run number of the ensemble"},
                      text("path", "the parameter's path, as in uncertainty: or --uncertain"),
                      number("value", "", "the value drawn (the unit of the parameter)")},
                     {"run", "path"},
                     false});
    return files;
}

const std::vector<OutputFile>& table() {
    static const std::vector<OutputFile> files = [] {
        auto all = trade_files();
        for (auto& f : other_files()) all.push_back(std::move(f));
        return all;
    }();
    return files;
}

const OutputFile& summary_of(const OutputFile& f, const DataPackageOptions& o) {
    return o.run_column && f.name == "summary.csv" ? ensemble_summary_file() : f;
}

std::string column_json(const OutputColumn& c) {
    std::string out =
        fmt::format(R"({{"name": {}, "type": {})", json_string(c.name), json_string(c.type));
    if (c.type == "date") out += R"(, "format": "%Y-%m-%d")";
    if (!c.unit.empty()) out += fmt::format(R"(, "unit": {})", json_string(c.unit));
    out += fmt::format(R"(, "description": {})", json_string(c.description));
    if (!c.allowed.empty()) {
        std::string list;
        for (const auto& a : c.allowed) {
            if (!list.empty()) list += ", ";
            list += c.type == "integer" ? std::string(a) : json_string(a);
        }
        out += fmt::format(R"(, "constraints": {{"enum": [{}]}})", list);
    }
    return out + "}";
}

std::string resource_json(const OutputFile& file, const DataPackageOptions& o) {
    const OutputFile& f = summary_of(file, o);
    const bool run = o.run_column && f.per_run;
    std::vector<std::string_view> key;
    if (run && !f.key.empty()) key.push_back("run");
    for (const auto& k : f.key)
        if (o.flows_by_buyer || f.name != "flows.csv" || k != "buyer") key.push_back(k);
    std::string fields;
    if (run)
        fields += "          " +
                  column_json({"run", "integer", "", "run number of the ensemble (0 first)"}) +
                  ",\n";
    for (std::size_t i = 0; i < f.columns.size(); ++i)
        fields +=
            "          " + column_json(f.columns[i]) + (i + 1 < f.columns.size() ? ",\n" : "\n");
    std::string pk;
    for (const auto& k : key) pk += (pk.empty() ? "" : ", ") + json_string(k);
    const std::string stem(f.name.substr(0, f.name.size() - 4));
    return fmt::format(
        "    {{\n      \"name\": {},\n      \"path\": {},\n      \"profile\": "
        "\"tabular-data-resource\",\n      \"format\": \"csv\",\n      \"mediatype\": "
        "\"text/csv\",\n      \"encoding\": \"utf-8\",\n      \"description\": {},\n      "
        "\"schema\": {{\n        \"fields\": [\n{}        ],\n        \"missingValues\": [\"\", "
        "\"nan\"]{}\n      }}\n    }}",
        json_string(stem), json_string(f.name), json_string(f.description), fields,
        pk.empty() ? std::string{} : fmt::format(",\n        \"primaryKey\": [{}]", pk));
}

}  // namespace

const OutputFile& output_file(std::string_view name) {
    const auto& files = table();
    const auto it = std::find_if(files.begin(), files.end(),
                                 [&](const OutputFile& f) { return f.name == name; });
    if (it == files.end())
        throw RunError(fmt::format("output: '{}' is not in the table of output files", name));
    return *it;
}

std::vector<std::string_view> output_header(std::string_view file, bool run_column) {
    return output_header(output_file(file), run_column);
}

std::vector<std::string_view> output_header(const OutputFile& f, bool run_column) {
    std::vector<std::string_view> h;
    h.reserve(f.columns.size() + 1);
    if (run_column) h.push_back("run");
    for (const auto& c : f.columns) h.push_back(c.name);
    return h;
}

const OutputFile& ensemble_summary_file() {
    static const OutputFile f{
        "summary.csv",
        "headline metric per scope: statistics over the ensemble's runs",
        {kScope, text("key", "the scope's id"), text("metric", "metric name"), kStats[0], kStats[1],
         kStats[2], kStats[3], kStats[4], kStats[5], kStats[6]},
        {"scope", "key", "metric"},
        false};
    return f;
}

std::vector<OutputFile> sweep_files(const std::vector<OutputColumn>& leading) {
    const OutputColumn key = text("key", "the scope's id");
    const OutputColumn metric = text("metric", "metric name");
    OutputFile runs{"runs.csv",
                    "variant x run x metric: the run's summary.csv rows",
                    leading,
                    {"variant", "run", "scope", "key", "metric"},
                    false};
    runs.columns.insert(runs.columns.end(),
                        {{"run", "integer", "", "run number of the variant (0 first)"},
                         kScope,
                         key,
                         metric,
                         number("value", "", "the metric over the run (its unit is in its name)")});
    OutputFile summary{"summary.csv",
                       "variant x metric: statistics over the variant's runs",
                       leading,
                       {"variant", "scope", "key", "metric"},
                       false};
    summary.columns.insert(summary.columns.end(), {kScope, key, metric});
    summary.columns.insert(summary.columns.end(), std::begin(kStats), std::end(kStats));
    const OutputColumn rank{"rank", "integer", "",
                            "rank of the parameter for the metric (1 first)"};
    const OutputColumn parameter = text("parameter", "the swept parameter's path");
    const OutputColumn column = text("metric", "the metric, as scope.key.metric (world.metric)");
    OutputFile morris{"morris.csv",
                      "metric x parameter: Morris elementary effects (docs/ensembles.md)",
                      {column,
                       rank,
                       parameter,
                       number("mu_star", "", "mean absolute elementary effect per unit range"),
                       number("mu", "", "mean elementary effect per unit range"),
                       number("sigma", "", "standard deviation of the elementary effects"),
                       {"effects", "integer", "", "number of elementary effects"}},
                      {"metric", "parameter"},
                      false};
    const auto index = [](std::string_view name, std::string_view what) {
        return OutputColumn{name, "number", "", what};
    };
    OutputFile sobol{"sobol.csv",
                     "metric x parameter: Sobol indices with bootstrap intervals (empty when the "
                     "metric does not vary)",
                     {column,
                      rank,
                      parameter,
                      index("s1", "first-order index"),
                      index("s1_low", "first-order index, lower end of the interval"),
                      index("s1_high", "first-order index, upper end of the interval"),
                      index("st", "total-order index"),
                      index("st_low", "total-order index, lower end of the interval"),
                      index("st_high", "total-order index, upper end of the interval"),
                      {"n", "integer", "", "rows of the Saltelli matrices"},
                      number("variance", "", "variance of the metric over blocks A and B"),
                      {"resamples", "integer", "", "bootstrap resamples"}},
                     {"metric", "parameter"},
                     false};
    return {std::move(runs), std::move(summary), std::move(morris), std::move(sobol),
            output_file("parameters.csv")};
}

std::string datapackage_json(const fs::path& dir, const DataPackageOptions& options) {
    std::string resources;
    for (const auto& f : options.files ? *options.files : table()) {
        std::error_code ec;
        if (!fs::is_regular_file(dir / fs::path(f.name), ec)) continue;
        if (!resources.empty()) resources += ",\n";
        resources += resource_json(f, options);
    }
    std::string name;
    for (const char c : options.name)
        name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    ? c
                    : (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : '-');
    return fmt::format(
        "{{\n  \"profile\": \"tabular-data-package\",\n  \"name\": {},\n  \"title\": {},\n  "
        "\"description\": \"Output of tradesim; columns, units and keys: docs/outputs.md\",\n  "
        "\"resources\": [\n{}\n  ]\n}}\n",
        json_string(name.empty() ? "tradesim-run" : name), json_string(options.name), resources);
}

void write_datapackage(const fs::path& dir, const DataPackageOptions& options) {
    write_text_file(dir / fs::path(kDataPackageJson), datapackage_json(dir, options));
}

}  // namespace ts::io
