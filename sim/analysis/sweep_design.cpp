#include "analysis/sweep_design.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <boost/random/sobol.hpp>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ts::analysis {

namespace {

constexpr std::size_t kMaxVariants = 10'000'000;

[[noreturn]] void bad_param(std::string_view spec, const std::string& why) {
    throw InputError(fmt::format("--param '{}': {}", spec, why));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<double> parse_number(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    if (s.front() == '+') s.remove_prefix(1);
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

/// Splits on commas that are not inside [], {} or quotes.
std::vector<std::string> split_values(std::string_view text) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    char quote = 0;
    for (const char c : text) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        } else if (c == ',' && depth == 0) {
            out.emplace_back(trim(cur));
            cur.clear();
            continue;
        }
        cur.push_back(c);
    }
    out.emplace_back(trim(cur));
    return out;
}

/// Sets the value and the realised unit coordinate of parameter `i` at point u. A range
/// without a step is continuous; a list, or a range with a step (the list of its values), takes
/// element floor(u·k) (lhs) or round(u·(k − 1)) (morris).
void assign(const SweepParameter& p, double u, bool round_list, Variant& v, std::size_t i) {
    if (p.is_range && p.values.empty()) {
        const double x = std::clamp(p.lo + u * (p.hi - p.lo), p.lo, p.hi);
        v.values[i] = format_parameter_value(x);
        v.unit[i] = p.hi > p.lo ? (x - p.lo) / (p.hi - p.lo) : 0.0;
        return;
    }
    const std::size_t k = p.values.size();
    std::size_t idx = 0;
    if (round_list) {
        idx = static_cast<std::size_t>(std::llround(u * static_cast<double>(k - 1)));
    } else {
        idx = static_cast<std::size_t>(std::floor(u * static_cast<double>(k)));
    }
    idx = std::min(idx, k - 1);
    v.values[i] = p.values[idx];
    v.unit[i] = k > 1 ? static_cast<double>(idx) / static_cast<double>(k - 1) : 0.0;
}

/// Uniform integer in [0, n) from one draw (n small: the bias of the float method is < 2^-40).
std::size_t uniform_index(Rng& rng, std::size_t n) {
    const auto i = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
    return std::min(i, n - 1);
}

std::vector<std::size_t> permutation(Rng& rng, std::size_t n) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[uniform_index(rng, i)]);
    return p;
}

}  // namespace

std::string format_parameter_value(double v) {
    if (v == 0.0) return "0";  // also -0
    if (std::abs(v) < 1e15 && v == std::round(v)) return fmt::format("{:.0f}", v);
    return fmt::format("{:.12g}", v);
}

namespace {

/// Where PATH ends in PATH=VALUES: the first '=' outside a double-quoted key, as for --set (a
/// key in double quotes may contain '.' and '=', with \" and \\ inside; io/doc_override.cpp applies
/// it).
std::size_t path_end(std::string_view spec) {
    bool quoted = false;
    bool key_start = true;
    for (std::size_t i = 0; i < spec.size(); ++i) {
        const char c = spec[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        } else if (c == '=') {
            return i;
        } else if (c == '"' && key_start) {
            quoted = true;
        }
        key_start = !quoted && c == '.';
    }
    return std::string_view::npos;
}

}  // namespace

SweepParameter parse_sweep_parameter(std::string_view spec) {
    const auto eq = path_end(spec);
    if (eq == std::string_view::npos) bad_param(spec, "expected PATH=v1,v2,... or PATH=lo:hi:step");
    SweepParameter p;
    p.path = std::string(trim(spec.substr(0, eq)));
    const std::string_view rest = trim(spec.substr(eq + 1));
    if (p.path.empty()) bad_param(spec, "missing the scenario path before '='");
    if (rest.empty()) bad_param(spec, "no values after '='");

    // A range: two or three numbers separated by ':'.
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto colon = rest.find(':', start);
        parts.push_back(
            rest.substr(start, colon == std::string_view::npos ? colon : colon - start));
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    if (parts.size() == 2 || parts.size() == 3) {
        std::vector<double> nums;
        for (const auto part : parts)
            if (auto n = parse_number(part)) nums.push_back(*n);
        if (nums.size() == parts.size()) {
            p.is_range = true;
            p.lo = nums[0];
            p.hi = nums[1];
            if (p.hi < p.lo)
                bad_param(spec, fmt::format("range from {} down to {}: hi must be >= lo", parts[0],
                                            parts[1]));
            if (nums.size() == 3) {
                if (!(nums[2] > 0)) bad_param(spec, "the step must be > 0");
                p.step = nums[2];
                const double n = std::floor((p.hi - p.lo) / nums[2] + 1e-9);
                if (n + 1 > static_cast<double>(kMaxVariants))
                    bad_param(spec, "the step gives too many values");
                for (std::int64_t i = 0; i <= static_cast<std::int64_t>(n); ++i)
                    p.values.push_back(
                        format_parameter_value(p.lo + static_cast<double>(i) * nums[2]));
            }
            return p;
        }
    }
    p.values = split_values(rest);
    for (const auto& v : p.values)
        if (v.empty()) bad_param(spec, "empty value in the list");
    return p;
}

namespace {

/// `sobol:N`: N rows, at least 2 (a variance needs two), at most the variants' limit / 3 (the
/// fewest variants per row, with one parameter).
DesignSpec parse_sobol(std::string_view text, std::string_view num) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc() && end == num.data() + num.size() &&
         n > static_cast<long long>(kMaxVariants / 3)))
        throw InputError(fmt::format(
            "--design '{}': N is too large; sobol:N runs N·(k + 2) variants for k parameters, at "
            "most {}, so N can be at most {}",
            text, kMaxVariants, kMaxVariants / 3));
    if (ec != std::errc() || end != num.data() + num.size() || n < 2)
        throw InputError(fmt::format(
            "--design '{}': expected sobol:N with N a whole number >= 2 (the rows of the "
            "Saltelli matrices A and B; a power of two such as 64 or 256 is best)",
            text));
    return {DesignKind::sobol, static_cast<int>(n)};
}

}  // namespace

DesignSpec parse_design(std::string_view text) {
    DesignSpec d;
    if (text == "grid") return d;
    const auto colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    if (name == "sobol" && colon != std::string_view::npos)
        return parse_sobol(text, text.substr(colon + 1));
    if ((name == "lhs" || name == "morris") && colon != std::string_view::npos) {
        const std::string_view num = text.substr(colon + 1);
        int n = 0;
        const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
        if (ec == std::errc() && end == num.data() + num.size() && n >= 1) {
            d.kind = name == "lhs" ? DesignKind::lhs : DesignKind::morris;
            d.count = n;
            return d;
        }
    }
    throw InputError(
        fmt::format("--design '{}': expected grid, lhs:N, morris:R or sobol:N (N, R >= 1)", text));
}

std::string to_string(const DesignSpec& d) {
    switch (d.kind) {
        case DesignKind::grid:
            return "grid";
        case DesignKind::lhs:
            return fmt::format("lhs:{}", d.count);
        case DesignKind::morris:
            return fmt::format("morris:{}", d.count);
        case DesignKind::sobol:
            return fmt::format("sobol:{}", d.count);
    }
    return "?";
}

std::string sobol_block_name(int block) {
    if (block == kSobolBlockA) return "A";
    if (block == kSobolBlockB) return "B";
    return fmt::format("AB_{}", block - kSobolBlockAB + 1);
}

MorrisPlan morris_plan(std::size_t factors, int trajectories, std::uint64_t seed) {
    MorrisPlan plan;
    constexpr int jump = kMorrisLevels / 2;  // Δ in levels: 2 of 0..3
    for (int r = 0; r < trajectories; ++r) {
        Rng rng(seed, static_cast<std::uint64_t>(r), 0, Purpose::parameter_draw);
        std::vector<int> level(factors);
        for (auto& l : level) l = static_cast<int>(uniform_index(rng, kMorrisLevels));
        const auto order = permutation(rng, factors);
        const auto point = [&] {
            std::vector<double> x(factors);
            for (std::size_t i = 0; i < factors; ++i) x[i] = level[i] / double{kMorrisLevels - 1};
            return x;
        };
        std::vector<std::vector<double>> pts{point()};
        std::vector<int> moved;
        for (const std::size_t i : order) {
            // Up from the lower half of the levels, down from the upper half: always admissible.
            level[i] += level[i] < jump ? jump : -jump;
            pts.push_back(point());
            moved.push_back(static_cast<int>(i));
        }
        plan.points.push_back(std::move(pts));
        plan.moved.push_back(std::move(moved));
    }
    return plan;
}

std::size_t sobol_max_parameters() {
    return boost::random::default_sobol_table::max_dimension / 2;
}

SobolPlan sobol_plan(std::size_t factors, int rows, std::uint64_t seed) {
    if (factors > sobol_max_parameters())
        throw InputError(fmt::format(
            "tradesim sweep: sobol takes at most {} parameters (2k dimensions of the Sobol "
            "sequence), not {}",
            sobol_max_parameters(), factors));
    const std::size_t dims = 2 * factors;
    // A substream of its own, so the shift is independent of every other parameter draw.
    Rng rng = Rng(seed, 0, 0, Purpose::parameter_draw).substream(0x736f626f6cULL);  // "sobol"
    std::vector<std::uint64_t> shift(dims);
    for (auto& s : shift) s = rng.next_u64();
    boost::random::sobol engine(dims);
    SobolPlan plan;
    std::vector<std::uint64_t> point(dims, 0);  // row 0: the origin
    for (int j = 0; j < rows; ++j) {
        if (j > 0)
            for (auto& x : point) x = engine();
        std::vector<double> a(factors), b(factors);
        for (std::size_t d = 0; d < dims; ++d) {
            // The top 53 bits of the shifted word: a double in [0, 1) without rounding up to 1.
            const double u = static_cast<double>((point[d] ^ shift[d]) >> 11) * 0x1p-53;
            (d < factors ? a[d] : b[d - factors]) = u;
        }
        plan.a.push_back(std::move(a));
        plan.b.push_back(std::move(b));
    }
    return plan;
}

namespace {

/// Saltelli's N·(k + 2) variants, row by row: A, B, then AB_i for each parameter i.
void add_sobol_variants(SweepDesign& d, const Variant& blank, std::uint64_t seed) {
    const auto& ps = d.parameters;
    const std::size_t k = ps.size();
    const auto n = static_cast<std::size_t>(d.spec.count);
    if (n * (k + 2) > kMaxVariants)
        throw InputError(fmt::format(
            "--design '{}' with {} parameters gives {} variants (N·(k + 2)), over the limit of "
            "{}: N can be at most {}",
            to_string(d.spec), k, n * (k + 2), kMaxVariants, kMaxVariants / (k + 2)));
    const auto plan = sobol_plan(k, d.spec.count, seed);
    const auto make = [&](std::size_t j, int block, const std::vector<double>& u) {
        Variant v = blank;
        for (std::size_t i = 0; i < k; ++i) assign(ps[i], u[i], false, v, i);
        v.block = block;
        v.row = static_cast<int>(j);
        d.variants.push_back(std::move(v));
    };
    d.variants.reserve(n * (k + 2));
    for (std::size_t j = 0; j < n; ++j) {
        make(j, kSobolBlockA, plan.a[j]);
        make(j, kSobolBlockB, plan.b[j]);
        for (std::size_t i = 0; i < k; ++i) {
            auto u = plan.a[j];
            u[i] = plan.b[j][i];
            make(j, kSobolBlockAB + static_cast<int>(i), u);
        }
    }
}

}  // namespace

SweepDesign make_design(std::vector<SweepParameter> parameters, DesignSpec spec,
                        std::uint64_t seed) {
    SweepDesign d;
    d.spec = spec;
    d.parameters = std::move(parameters);
    const auto& ps = d.parameters;
    const std::size_t k = ps.size();
    if (k == 0) throw InputError("tradesim sweep: give at least one --param PATH=VALUES");
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (ps[i].path == ps[j].path)
                throw InputError(fmt::format("--param '{}' is given twice", ps[i].path));
    const auto blank = [k] {
        Variant v;
        v.values.assign(k, std::string());
        v.unit.assign(k, 0.0);
        return v;
    };

    switch (spec.kind) {
        case DesignKind::grid: {
            std::size_t total = 1;
            for (const auto& p : ps) {
                if (p.values.empty())
                    throw InputError(fmt::format(
                        "--param '{}': a grid needs values; give a step (lo:hi:step) or a list",
                        p.path));
                if (total > kMaxVariants / p.values.size())
                    throw InputError("tradesim sweep: the grid has too many variants");
                total *= p.values.size();
            }
            std::vector<std::size_t> idx(k, 0);
            for (std::size_t n = 0; n < total; ++n) {
                Variant v = blank();
                for (std::size_t i = 0; i < k; ++i) {
                    v.values[i] = ps[i].values[idx[i]];
                    v.unit[i] = ps[i].values.size() > 1
                                    ? static_cast<double>(idx[i]) /
                                          static_cast<double>(ps[i].values.size() - 1)
                                    : 0.0;
                }
                d.variants.push_back(std::move(v));
                for (std::size_t i = k; i-- > 0;) {  // last parameter fastest
                    if (++idx[i] < ps[i].values.size()) break;
                    idx[i] = 0;
                }
            }
            break;
        }
        case DesignKind::lhs: {
            const auto n = static_cast<std::size_t>(spec.count);
            d.variants.assign(n, blank());
            for (std::size_t i = 0; i < k; ++i) {
                Rng rng(seed, 0, i, Purpose::parameter_draw);
                const auto strata = permutation(rng, n);
                for (std::size_t j = 0; j < n; ++j) {
                    const double u =
                        (static_cast<double>(strata[j]) + rng.uniform()) / static_cast<double>(n);
                    assign(ps[i], u, false, d.variants[j], i);
                }
            }
            break;
        }
        case DesignKind::morris: {
            const auto plan = morris_plan(k, spec.count, seed);
            for (std::size_t r = 0; r < plan.points.size(); ++r) {
                for (std::size_t j = 0; j < plan.points[r].size(); ++j) {
                    Variant v = blank();
                    for (std::size_t i = 0; i < k; ++i)
                        assign(ps[i], plan.points[r][j][i], true, v, i);
                    v.trajectory = static_cast<int>(r);
                    v.point = static_cast<int>(j);
                    v.moved = j == 0 ? -1 : plan.moved[r][j - 1];
                    d.variants.push_back(std::move(v));
                }
            }
            break;
        }
        case DesignKind::sobol:
            add_sobol_variants(d, blank(), seed);
            break;
    }
    return d;
}

}  // namespace ts::analysis
