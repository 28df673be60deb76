// The `uncertainty:` section and `--uncertain`: distributions, their draws, and reading them
// (io/uncertainty.hpp). Run scenarios and the random parts of an ensemble are in
// uncertainty_runs.cpp.
#include "io/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include <fmt/format.h>

#include "core/stream_key.hpp"
#include "io/scenario_fields.hpp"
#include "io/scenario_schema.hpp"

namespace fs = std::filesystem;

namespace ts::io {

using detail::Fields;
using detail::MapReader;

const char* to_string(Distribution d) {
    switch (d) {
        case Distribution::uniform:
            return "uniform";
        case Distribution::normal:
            return "normal";
        case Distribution::lognormal:
            return "lognormal";
        case Distribution::triangular:
            return "triangular";
    }
    return "?";
}

namespace {

double normal_cdf(double z) {
    return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

/// The keys each distribution takes, in the order `--uncertain` reads positional arguments
/// (a lognormal also takes `mu` instead of `median`, by name only).
const schema::Words& parameter_keys(Distribution d) {
    static const schema::Words uniform = {"lo", "hi"};
    static const schema::Words normal = {"mean", "sd"};
    static const schema::Words lognormal = {"median", "sigma"};
    static const schema::Words triangular = {"lo", "mode", "hi"};
    switch (d) {
        case Distribution::uniform:
            return uniform;
        case Distribution::normal:
            return normal;
        case Distribution::lognormal:
            return lognormal;
        case Distribution::triangular:
            return triangular;
    }
    return uniform;
}

}  // namespace

double UncertainParameter::cdf(double x) const {
    if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
    switch (distribution) {
        case Distribution::uniform:
            return std::clamp((x - a) / (b - a), 0.0, 1.0);
        case Distribution::normal:
            return normal_cdf((x - a) / b);
        case Distribution::lognormal:
            return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - a) / b);
        case Distribution::triangular:
            if (x <= a) return 0.0;
            if (x >= c) return 1.0;
            if (x <= b) return (x - a) * (x - a) / ((c - a) * (b - a));
            return 1.0 - (c - x) * (c - x) / ((c - a) * (c - b));
    }
    return 0.0;
}

double UncertainParameter::kept() const {
    return cdf(max) - cdf(min);
}

double UncertainParameter::draw(Rng& rng) const {
    // Redraw until inside [min, max]: the reader made sure the interval keeps at least
    // kMinKept of the distribution, so this takes 1/kept() draws on average.
    while (true) {
        double v = 0.0;
        switch (distribution) {
            case Distribution::uniform:
                v = a + (b - a) * rng.uniform();
                break;
            case Distribution::normal:
                v = a + b * rng.normal();
                break;
            case Distribution::lognormal:
                v = std::exp(a + b * rng.normal());
                break;
            case Distribution::triangular: {
                // Inverse of the CDF: lo + sqrt(u·(hi − lo)·(mode − lo)) below the mode.
                const double u = rng.uniform();
                const double at_mode = (b - a) / (c - a);
                v = u < at_mode ? a + std::sqrt(u * (c - a) * (b - a))
                                : c - std::sqrt((1.0 - u) * (c - a) * (c - b));
                break;
            }
        }
        if (v >= min && v <= max) return v;
    }
}

double UncertainParameter::centre() const {
    double v = a;
    if (distribution == Distribution::uniform) v = 0.5 * (a + b);
    if (distribution == Distribution::lognormal) v = std::exp(a);
    if (distribution == Distribution::triangular) v = b;
    return std::clamp(v, min, max);
}

std::string UncertainParameter::describe() const {
    std::string s;
    switch (distribution) {
        case Distribution::uniform:
            s = fmt::format("uniform(lo {}, hi {})", a, b);
            break;
        case Distribution::normal:
            s = fmt::format("normal(mean {}, sd {})", a, b);
            break;
        case Distribution::lognormal:
            s = fmt::format("lognormal(median {}, sigma {})", std::exp(a), b);
            break;
        case Distribution::triangular:
            s = fmt::format("triangular(lo {}, mode {}, hi {})", a, b, c);
            break;
    }
    if (std::isfinite(min) || std::isfinite(max))
        s += fmt::format(" truncated to [{}, {}]", min, max);
    return s;
}

std::vector<std::string> Uncertainty::paths() const {
    std::vector<std::string> out;
    for (const auto& p : parameters) out.push_back(p.path);
    if (table) out.insert(out.end(), table->paths.begin(), table->paths.end());
    return out;
}

std::vector<double> Uncertainty::values(std::uint64_t seed, int run) const {
    std::vector<double> out;
    const auto r = static_cast<std::uint64_t>(run);
    for (const auto& p : parameters) {
        Rng rng = StreamKey{seed, r, Purpose::parameter_uncertainty}.with(id_hash(p.path)).rng();
        out.push_back(p.draw(rng));
    }
    if (table) {
        const auto& row = table->rows.at(static_cast<std::size_t>(run));
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

SourceLoc Uncertainty::source(std::size_t i, int run) const {
    if (i < parameters.size()) return parameters[i].loc;
    return SourceLoc{table->file, table->lines.at(static_cast<std::size_t>(run)), 1};
}

std::string Uncertainty::origin(std::size_t i, int run) const {
    if (i < parameters.size()) return parameters[i].describe();
    return fmt::format("row {} of '{}'", run, table->file);
}

namespace {

/// Reads one `PATH: {distribution: ..., ...}` entry.
class ParameterReader {
  public:
    ParameterReader(Fields& f, const DocEntry& e)
        : f_(f), e_(e), path_(path_item("uncertainty.parameters", e.key)) {}

    std::optional<UncertainParameter> read() {
        p_.path = e_.key;
        p_.loc = e_.key_loc;
        errors_ = f_.error_count();
        check_path();
        if (!f_.expect_map(e_.value, path_, "a distribution (a map with `distribution`)"))
            return std::nullopt;
        const Doc* d = e_.value.find("distribution");
        if (!d) {
            f_.error(e_.value.loc, path_,
                     "missing required key 'distribution' (uniform, normal, lognormal or "
                     "triangular)");
            return std::nullopt;
        }
        const auto which =
            f_.choice(*d, path_join(path_, "distribution"), "distribution", schema::kDistributions);
        if (!which) return std::nullopt;
        p_.distribution = static_cast<Distribution>(*which);
        schema::Words allowed = {"distribution"};
        for (const auto& k : parameter_keys(p_.distribution)) allowed.push_back(k);
        if (p_.distribution == Distribution::lognormal) allowed.emplace_back("mu");
        allowed.insert(allowed.end(), {"min", "max"});
        const MapReader m(f_, e_.value, path_, allowed,
                          [&](std::string_view key) { return advice(key); });
        read_distribution(m);
        read_truncation(m);
        if (f_.error_count() != errors_) return std::nullopt;
        return p_;
    }

  private:
    std::optional<std::string> advice(std::string_view key) const {
        const auto& all = schema::kUncertainParameterKeys;
        if (std::find(all.begin(), all.end(), key) == all.end()) return std::nullopt;
        return fmt::format("'{}' does not apply to a {} distribution (it takes {}, min, max)", key,
                           to_string(p_.distribution), join(parameter_keys(p_.distribution)));
    }

    void check_path() {
        const std::string first = e_.key.substr(0, e_.key.find('.'));
        if (e_.key.empty())
            f_.error(e_.key_loc, path_,
                     "an empty path: give a --set path such as "
                     "routes.MYS.detection");
        else if (first == "uncertainty" || first == "extends" || first == "remove" ||
                 first == "seed")
            f_.error(e_.key_loc, path_, fmt::format("'{}' cannot be uncertain", first));
    }

    void read_distribution(const MapReader& m) {
        using detail::kAnyNumber;
        using detail::kPositive;
        switch (p_.distribution) {
            case Distribution::uniform:
            case Distribution::triangular: {
                const bool tri = p_.distribution == Distribution::triangular;
                const auto lo = m.number("lo", kAnyNumber, true);
                const auto mode = tri ? m.number("mode", kAnyNumber, true) : std::optional(0.0);
                const auto hi = m.number("hi", kAnyNumber, true);
                if (!lo || !hi || !mode) return;
                if (!(*lo < *hi)) {
                    f_.error(m.get("hi")->loc, m.path("hi"),
                             fmt::format("hi ({}) must be greater than lo ({})", *hi, *lo));
                    return;
                }
                if (tri && (*mode < *lo || *mode > *hi))
                    f_.error(
                        m.get("mode")->loc, m.path("mode"),
                        fmt::format("mode {} is outside [lo, hi] = [{}, {}]", *mode, *lo, *hi));
                p_.a = *lo;
                p_.b = tri ? *mode : *hi;
                p_.c = *hi;
                return;
            }
            case Distribution::normal: {
                const auto mean = m.number("mean", kAnyNumber, true);
                const auto sd = m.number("sd", kPositive, true);
                if (mean && sd) p_.a = *mean, p_.b = *sd;
                return;
            }
            case Distribution::lognormal:
                read_lognormal(m);
                return;
        }
    }

    void read_lognormal(const MapReader& m) {
        const auto sigma = m.number("sigma", detail::kPositive, true);
        if (m.get("median") && m.get("mu")) {
            f_.error(m.get("mu")->loc, m.path("mu"),
                     "give either median or mu (= ln median), not both");
            return;
        }
        std::optional<double> mu;
        if (m.get("mu")) {
            mu = m.number("mu", detail::kAnyNumber);
        } else if (const auto median = m.number("median", detail::kPositive)) {
            mu = std::log(*median);
        } else if (!m.get("median")) {
            f_.error(e_.value.loc, path_, "missing required key 'median' (or 'mu' = ln median)");
        }
        if (mu && sigma) p_.a = *mu, p_.b = *sigma;
    }

    void read_truncation(const MapReader& m) {
        const std::size_t errors = f_.error_count();
        if (const auto v = m.number("min", detail::kAnyNumber)) p_.min = *v;
        if (const auto v = m.number("max", detail::kAnyNumber)) p_.max = *v;
        if (f_.error_count() != errors || (!m.get("min") && !m.get("max"))) return;
        const Doc& at = m.get("max") ? *m.get("max") : *m.get("min");
        const std::string at_path = m.path(m.get("max") ? "max" : "min");
        if (!(p_.min < p_.max)) {
            f_.error(at.loc, at_path,
                     fmt::format("max ({}) must be greater than min ({})", p_.max, p_.min));
        } else if (f_.error_count() == errors_ && p_.kept() < kMinKept) {
            f_.error(at.loc, at_path,
                     fmt::format("the truncation [{}, {}] keeps {:.3g} of the distribution; at "
                                 "least {} is needed (widen it or move the distribution)",
                                 p_.min, p_.max, p_.kept(), kMinKept));
        }
    }

    Fields& f_;
    const DocEntry& e_;
    std::string path_;
    UncertainParameter p_;
    std::size_t errors_ = 0;  // errors before this entry
};

/// Splits a line of a draws file at commas; each field with its 1-based column.
std::vector<std::pair<std::string, int>> split_fields(std::string_view line) {
    std::vector<std::pair<std::string, int>> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
        out.emplace_back(std::string(line.substr(start, end - start)), static_cast<int>(start) + 1);
        if (comma == std::string_view::npos) return out;
        start = comma + 1;
    }
}

/// Reads the draws file named by `node` (relative to the file that names it).
std::optional<DrawTable> read_draws(Fields& f, const Doc& node, const Uncertainty& u) {
    const std::string path = "uncertainty.draws";
    const auto name = f.text(node, path, "a CSV file name");
    if (!name) return std::nullopt;
    fs::path file = *name;
    if (file.is_relative() && node.loc.known()) file = fs::path(node.loc.file).parent_path() / file;
    DrawTable t;
    t.file = file.lexically_normal().string();
    t.loc = node.loc;
    std::error_code ec;
    std::ifstream in(file, std::ios::binary);
    if (!in || fs::is_directory(file, ec) || fs::file_size(file, ec) > kMaxFileBytes) {
        f.error(node.loc, path,
                fmt::format(
                    "cannot read the draws file '{}' (a path relative to the file that names it)",
                    t.file));
        return std::nullopt;
    }
    const std::size_t errors = f.error_count();
    int line_no = 0;
    std::size_t columns = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const SourceLoc at{t.file, line_no, 1};
        const auto fields = split_fields(line);
        if (line_no == 1) {
            for (const auto& [text, col] : fields) {
                const SourceLoc here{t.file, 1, col};
                if (text.empty())
                    f.error(here, path, "an empty column name: each column is a --set path");
                else if (std::find(t.paths.begin(), t.paths.end(), text) != t.paths.end())
                    f.error(here, path, fmt::format("column '{}' is given twice", text));
                for (const auto& p : u.parameters)
                    if (p.path == text)
                        f.error(here, path,
                                fmt::format("'{}' has a distribution in uncertainty.parameters "
                                            "and a column here: give it one or the other",
                                            text));
                t.paths.push_back(text);
            }
            columns = fields.size();
            continue;
        }
        if (line.empty()) continue;  // a blank line (usually the last) is no draw
        if (fields.size() != columns) {
            f.error(at, path,
                    fmt::format("expected {} fields (one per column of the header), found {}",
                                columns, fields.size()));
            continue;
        }
        std::vector<double> row;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            double v = 0.0;
            if (detail::parse_number(fields[i].first, v) != detail::NumberParse::ok)
                f.error(SourceLoc{t.file, line_no, fields[i].second}, path,
                        fmt::format("column '{}': expected a finite number, found '{}'", t.paths[i],
                                    printable(fields[i].first)));
            row.push_back(v);
        }
        t.rows.push_back(std::move(row));
        t.lines.push_back(line_no);
    }
    if (line_no == 0 || (t.rows.empty() && f.error_count() == errors))
        f.error(node.loc, path,
                fmt::format("'{}' has no draws: expected a header of --set paths "
                            "and one row per run",
                            t.file));
    if (f.error_count() != errors) return std::nullopt;
    return t;
}

}  // namespace

Uncertainty read_uncertainty(const Doc& root, Diagnostics& diags) {
    Uncertainty u;
    const DocEntry* section = root.find_entry("uncertainty");
    if (!section) return u;
    u.loc = section->key_loc;
    Fields f(diags);
    if (!f.expect_map(section->value, "uncertainty", "a map with `parameters` and/or `draws`"))
        return u;
    const MapReader m(f, section->value, "uncertainty", schema::kUncertaintyKeys);
    if (const Doc* params = m.get("parameters");
        params && f.expect_map(*params, "uncertainty.parameters",
                               "a map from --set paths to "
                               "distributions"))
        for (const DocEntry& e : params->entries)
            if (auto p = ParameterReader(f, e).read()) u.parameters.push_back(std::move(*p));
    if (const Doc* draws = m.get("draws")) u.table = read_draws(f, *draws, u);
    return u;
}

bool apply_uncertain_option(Doc& root, std::string_view text, int index, Diagnostics& diags) {
    const auto at = [&](std::size_t offset) {
        return SourceLoc{"--uncertain", index, static_cast<int>(offset) + 1};
    };
    // The path ends at the first '=' outside double quotes (as for --set).
    std::size_t eq = std::string_view::npos;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size() && eq == std::string_view::npos; ++i) {
        if (text[i] == '"') quoted = !quoted;
        if (text[i] == '=' && !quoted) eq = i;
    }
    const std::size_t colon = eq == std::string_view::npos ? eq : text.find(':', eq);
    if (eq == std::string_view::npos || eq == 0 || colon == std::string_view::npos) {
        diags.error(at(0), "",
                    fmt::format("malformed --uncertain '{}': expected PATH=DISTRIBUTION:ARGS, "
                                "e.g. routes.MYS.detection=normal:0.15,0.05",
                                printable(text)));
        return false;
    }
    const std::string name(text.substr(eq + 1, colon - eq - 1));
    const auto& names = schema::kDistributions;
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
        diags.error(at(eq + 1), "",
                    fmt::format("unknown distribution '{}' (expected one of: {}){}",
                                printable(name), join(names), did_you_mean(name, names)));
        return false;
    }
    const auto& keys = parameter_keys(static_cast<Distribution>(it - names.begin()));
    Doc spec = Doc::make_map(at(eq + 1));
    spec.set("distribution", Doc::make_scalar(name, at(eq + 1)), at(eq + 1));
    std::size_t positional = 0;
    for (const auto& [arg, col] : split_fields(text.substr(colon + 1))) {
        const std::size_t offset = colon + static_cast<std::size_t>(col);
        const std::size_t kv = arg.find('=');
        if (kv != std::string::npos) {
            spec.set(arg.substr(0, kv), Doc::make_scalar(arg.substr(kv + 1), at(offset + kv + 1)),
                     at(offset));
        } else if (positional < keys.size()) {
            spec.set(keys[positional++], Doc::make_scalar(arg, at(offset)), at(offset));
        } else {
            diags.error(at(offset), "",
                        fmt::format("--uncertain: too many values for a {} distribution (it "
                                    "takes {}; give min=, max= by name)",
                                    name, join(keys)));
            return false;
        }
    }
    if (!root.is_map()) return false;  // the reader reports a scenario that is not a map
    Doc* section = root.find("uncertainty");
    if (!section) section = &root.set("uncertainty", Doc::make_map(at(0)), at(0));
    if (!section->is_map()) return false;  // reported by the reader
    Doc* params = section->find("parameters");
    if (!params) params = &section->set("parameters", Doc::make_map(at(0)), at(0));
    if (!params->is_map()) return false;  // reported by the reader
    params->set(std::string(text.substr(0, eq)), std::move(spec), at(0));
    return true;
}

}  // namespace ts::io
