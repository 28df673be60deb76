#include "io/run_reader.hpp"

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv_reader.hpp"
#include "io/doc.hpp"
#include "io/manifest.hpp"
#include "io/run_writer.hpp"

namespace ts::io {

namespace fs = std::filesystem;

namespace {

/// The run index of a record: the `run` column, or 0 without one.
int run_of(const CsvReader& csv, const std::vector<std::string>& f,
           std::optional<std::size_t> col) {
    if (!col) return 0;
    const std::int64_t r = csv.integer(f, *col);
    if (r < 0 || r > std::numeric_limits<int>::max())
        csv.fail(fmt::format("run index {} out of range", r));
    return static_cast<int>(r);
}

/// An ISO date field (YYYY-MM-DD): compared as text by the period filter.
std::string_view date_of(const CsvReader& csv, const std::vector<std::string>& f, std::size_t col,
                         const char* name = "date") {
    const std::string& d = f[col];
    const bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
    if (!ok)
        csv.fail(fmt::format("column '{}': '{}' is not a date (expected YYYY-MM-DD)", name, d));
    return d;
}

void read_countries(const fs::path& path, analysis::TickSink& totals) {
    CsvReader csv(path);
    const auto run = csv.find_column("run");
    const std::size_t date = csv.column("date"), country = csv.column("country"),
                      imports_units = csv.column("imports_units"),
                      imports_compute = csv.column("imports_compute"),
                      diverted = csv.column("diverted_compute"),
                      seized = csv.column("seized_units"), unmet = csv.column("unmet_compute"),
                      price = csv.column("price_index"), tariff = csv.column("tariff_revenue_usd"),
                      fee = csv.column("fee_revenue_usd");
    const auto used = csv.find_column("compute_used");
    std::vector<std::string> f;
    while (csv.next(f)) {
        analysis::CountryTick r;
        r.run = run_of(csv, f, run);
        r.date = date_of(csv, f, date);
        r.country = f[country];
        r.imports_units = csv.number(f, imports_units);
        r.imports_compute = csv.number(f, imports_compute);
        r.diverted_compute = csv.number(f, diverted);
        r.seized_units = csv.number(f, seized);
        r.unmet_compute = csv.number(f, unmet);
        r.price_index = csv.number(f, price);
        r.tariff_revenue_usd = csv.number(f, tariff);
        r.fee_revenue_usd = csv.number(f, fee);
        if (used) r.compute_used = csv.number(f, *used);
        totals.add(r);
    }
}

void read_flows(const fs::path& path, analysis::TickSink& totals) {
    CsvReader csv(path);
    const auto run = csv.find_column("run");
    const std::size_t date = csv.column("date"), supplier = csv.column("supplier"),
                      product = csv.column("product"), origin = csv.column("origin"),
                      via = csv.column("via"), destination = csv.column("destination"),
                      channel = csv.column("channel"), units = csv.column("units"),
                      compute = csv.column("compute"), value = csv.column("value_usd"),
                      tariff = csv.column("tariff_usd"), fee = csv.column("fee_usd"),
                      seized = csv.column("seized_units");
    const auto buyer = csv.find_column("buyer");
    // Absent in folders written before it: the record then arrives at its ship date.
    const auto arrival = csv.find_column("arrival_date");
    std::vector<std::string> f;
    while (csv.next(f)) {
        analysis::FlowTick r;
        if (buyer) r.buyer = f[*buyer];
        if (arrival) r.arrival_date = date_of(csv, f, *arrival, "arrival_date");
        r.run = run_of(csv, f, run);
        r.date = date_of(csv, f, date);
        r.supplier = f[supplier];
        r.product = f[product];
        r.origin = f[origin];
        // "direct" in flows.csv (older folders: ""); the row's field outlives the record.
        r.via = f[via] == kDirectVia ? std::string_view{} : std::string_view(f[via]);
        r.destination = f[destination];
        r.channel = f[channel];
        r.units = csv.number(f, units);
        r.compute = csv.number(f, compute);
        r.value_usd = csv.number(f, value);
        r.tariff_usd = csv.number(f, tariff);
        r.fee_usd = csv.number(f, fee);
        r.seized_units = csv.number(f, seized);
        totals.add(r);
    }
}

void read_revenue(const fs::path& path, analysis::TickSink& totals) {
    CsvReader csv(path);
    const auto run = csv.find_column("run");
    const std::size_t date = csv.column("date"), supplier = csv.column("supplier"),
                      billing = csv.column("billing_country"), units = csv.column("units"),
                      revenue = csv.column("revenue_usd");
    std::vector<std::string> f;
    while (csv.next(f)) {
        analysis::RevenueTick r;
        r.run = run_of(csv, f, run);
        r.date = date_of(csv, f, date);
        r.supplier = f[supplier];
        r.billing_country = f[billing];
        r.units = csv.number(f, units);
        r.revenue_usd = csv.number(f, revenue);
        totals.add(r);
    }
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

/// Appends the UTF-8 encoding of code point `cp`.
void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace

std::optional<std::string> json_member(std::string_view json, std::string_view name) {
    const std::string quoted = fmt::format("\"{}\"", name);
    std::size_t pos = 0;
    while ((pos = json.find(quoted, pos)) != std::string_view::npos) {
        std::size_t i = pos + quoted.size();
        while (i < json.size() &&
               (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
            ++i;
        if (i >= json.size() || json[i] != ':') {
            pos += quoted.size();  // the name appeared as a value, not as a member
            continue;
        }
        ++i;
        while (i < json.size() &&
               (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
            ++i;
        if (i >= json.size()) return std::nullopt;
        if (json[i] != '"') {  // a number (or literal): up to the next delimiter
            const std::size_t end = json.find_first_of(",}\n\r \t", i);
            return std::string(
                json.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
        }
        std::string out;
        for (++i; i < json.size(); ++i) {
            const char c = json[i];
            if (c == '"') return out;
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (++i >= json.size()) return std::nullopt;
            switch (json[i]) {
                case 'n':
                    out.push_back('\n');
                    break;
                case 't':
                    out.push_back('\t');
                    break;
                case 'r':
                    out.push_back('\r');
                    break;
                case 'b':
                    out.push_back('\b');
                    break;
                case 'f':
                    out.push_back('\f');
                    break;
                case 'u': {
                    if (i + 4 >= json.size()) return std::nullopt;
                    std::uint32_t cp = 0;
                    const auto [p, ec] =
                        std::from_chars(json.data() + i + 1, json.data() + i + 5, cp, 16);
                    if (ec != std::errc() || p != json.data() + i + 5) return std::nullopt;
                    i += 4;
                    // A surrogate pair.
                    if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < json.size() && json[i + 1] == '\\' &&
                        json[i + 2] == 'u') {
                        std::uint32_t lo = 0;
                        const auto [q, ec2] =
                            std::from_chars(json.data() + i + 3, json.data() + i + 7, lo, 16);
                        if (ec2 == std::errc() && q == json.data() + i + 7 && lo >= 0xDC00 &&
                            lo < 0xE000) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            i += 6;
                        }
                    }
                    append_utf8(out, cp);
                    break;
                }
                default:
                    out.push_back(json[i]);  // \" \\ \/
            }
        }
        return std::nullopt;
    }
    return std::nullopt;
}

RunFolderInfo read_run_folder(const fs::path& dir, analysis::TickSink& totals) {
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw InputError(fmt::format("run folder '{}' does not exist", dir.string()));
    if (!fs::is_directory(dir, ec))
        throw InputError(fmt::format("'{}' is not a folder", dir.string()));
    const fs::path countries = dir / fs::path(kCountriesCsv);
    if (!is_file(countries))
        throw InputError(fmt::format("'{}' is not a tradesim run folder (it has no {})",
                                     dir.string(), kCountriesCsv));

    RunFolderInfo info;
    const fs::path manifest = dir / fs::path(kManifestJson);
    if (is_file(manifest)) {
        std::ifstream in(manifest, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in && !in.eof()) throw RunError(fmt::format("cannot read '{}'", manifest.string()));
        const std::string json = text.str();
        info.has_manifest = true;
        if (auto name = json_member(json, "scenario_name"); name && !name->empty())
            info.scenario_name = *name;
        if (auto seed = json_member(json, "seed")) {
            std::uint64_t v = 0;
            const auto [p, e] = std::from_chars(seed->data(), seed->data() + seed->size(), v);
            if (e == std::errc() && p == seed->data() + seed->size()) info.seed = v;
        }
        info.observed_until = json_member(json, "observed_until");
        info.projection_from = json_member(json, "projection_from");
        info.random_parts = json_member(json, "random_parts");
    }
    if (info.scenario_name.empty()) {
        fs::path p = dir;
        if (!p.has_filename()) p = p.parent_path();  // "out/base/"
        info.scenario_name = p.filename().string();
        if (info.scenario_name.empty() || info.scenario_name == ".")
            info.scenario_name = fs::absolute(dir).filename().string();
    }

    read_countries(countries, totals);
    const fs::path flows = dir / fs::path(kFlowsCsv);
    info.has_flows = is_file(flows);
    if (info.has_flows) read_flows(flows, totals);
    const fs::path revenue = dir / fs::path(kRevenueCsv);
    info.has_revenue = is_file(revenue);
    if (info.has_revenue) read_revenue(revenue, totals);
    totals.set_has_flows(info.has_flows);
    totals.set_has_revenue(info.has_revenue);
    return info;
}

namespace {

/// The folder's scenario.resolved.yaml as a Doc, or nullopt when it has none.
std::optional<Doc> resolved_scenario(const fs::path& dir) {
    const fs::path path = dir / fs::path(kResolvedScenarioYaml);
    if (!is_file(path)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw RunError(fmt::format("cannot read '{}'", path.string()));
    return parse_yaml(text.str(), path.string());
}

/// The value of `key` of every item of the top-level list `list` that has it.
std::vector<std::string> item_values(const Doc& doc, const char* list, const char* key) {
    std::vector<std::string> out;
    if (const Doc* items = doc.find(list))
        for (const Doc& item : items->items)
            if (const Doc* v = item.find(key); v && v->is_scalar()) out.push_back(v->scalar);
    return out;
}

std::map<std::string, std::string, std::less<>> headquarters_of(const Doc& doc) {
    std::map<std::string, std::string, std::less<>> out;
    const Doc* buyers = doc.find("buyers");
    if (!buyers) return out;
    // The resolved scenario was validated when it ran: every buyer has an id and a country.
    for (const Doc& b : buyers->items) {
        const Doc* id = b.find("id");
        const Doc* hq = b.find("headquarters");
        if (!hq) hq = b.find("country");
        if (id && hq && id->is_scalar() && hq->is_scalar()) out.emplace(id->scalar, hq->scalar);
    }
    return out;
}

}  // namespace

std::map<std::string, std::string, std::less<>> read_buyer_headquarters(const fs::path& dir) {
    const auto doc = resolved_scenario(dir);
    if (!doc)
        throw InputError(fmt::format("'{}' has no {}: the buyers' headquarters come from it",
                                     dir.string(), kResolvedScenarioYaml));
    return headquarters_of(*doc);
}

std::optional<analysis::RunNames> read_run_names(const fs::path& dir) {
    const auto doc = resolved_scenario(dir);
    if (!doc) return std::nullopt;
    analysis::RunNames names;
    names.countries = item_values(*doc, "countries", "code");
    names.suppliers = item_values(*doc, "suppliers", "id");
    names.products = item_values(*doc, "products", "id");
    names.buyer_headquarters = headquarters_of(*doc);
    return names;
}

}  // namespace ts::io
