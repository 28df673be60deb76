#include "io/scenario_fields.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include <fmt/format.h>

namespace ts::io::detail {

namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string describe_rule(const NumberRule& rule) {
    if (rule.probability) return "a probability in [0, 1]";
    if (rule.min && rule.max)
        return fmt::format("a number in {}{}, {}{}", rule.min_open ? '(' : '[', *rule.min,
                           *rule.max, rule.max_open ? ')' : ']');
    if (rule.min) return fmt::format("a number {} {}", rule.min_open ? ">" : ">=", *rule.min);
    if (rule.max) return fmt::format("a number {} {}", rule.max_open ? "<" : "<=", *rule.max);
    return "a number";
}

bool within(const NumberRule& rule, double x) {
    if (rule.min && (rule.min_open ? !(x > *rule.min) : !(x >= *rule.min))) return false;
    if (rule.max && (rule.max_open ? !(x < *rule.max) : !(x <= *rule.max))) return false;
    return true;
}

template <class Int>
bool parse_whole(std::string_view text, Int& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

/// "25%" is a percentage where the scenario wants a fraction: the hint names the fraction.
std::string percent_hint(std::string_view text) {
    if (text.size() < 2 || text.back() != '%') return "";
    std::string_view number = text.substr(0, text.size() - 1);
    while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
    double x = 0.0;
    if (parse_number(number, x) != NumberParse::ok) return "";
    return fmt::format(" (rates and shares are fractions: for {} write {})", text, x / 100.0);
}

}  // namespace

NumberParse parse_number(std::string_view text, double& out) {
    // YAML spellings of NaN and infinity, and the ones from_chars accepts, are all "not finite".
    std::string_view unsigned_text = text;
    if (!unsigned_text.empty() && (unsigned_text.front() == '-' || unsigned_text.front() == '+'))
        unsigned_text.remove_prefix(1);
    const std::string lower = lowercase(unsigned_text);
    if (lower == ".nan" || lower == ".inf" || lower == "nan" || lower == "inf" ||
        lower == "infinity")
        return NumberParse::not_finite;
    if (text.empty() || text.front() == '+') return NumberParse::not_a_number;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (end != text.data() + text.size()) return NumberParse::not_a_number;
    if (ec == std::errc::result_out_of_range) return NumberParse::out_of_range;
    if (ec != std::errc{}) return NumberParse::not_a_number;
    if (!std::isfinite(out)) return NumberParse::not_finite;
    return NumberParse::ok;
}

// ---------------------------------------------------------------------------------------------
// Fields

void Fields::error(const SourceLoc& loc, const std::string& path, std::string message) {
    diags_.error(loc, path, std::move(message));
}

void Fields::warning(const SourceLoc& loc, const std::string& path, std::string message) {
    diags_.warning(loc, path, std::move(message));
}

bool Fields::expect_map(const Doc& node, const std::string& path, std::string_view what) {
    if (node.is_map()) return true;
    error(node.loc, path, fmt::format("expected {}, found {}", what, describe(node.kind)));
    return false;
}

bool Fields::expect_sequence(const Doc& node, const std::string& path, std::string_view what) {
    if (node.is_sequence()) return true;
    error(node.loc, path, fmt::format("expected {}, found {}", what, describe(node.kind)));
    return false;
}

bool Fields::expect_scalar(const Doc& node, const std::string& path, std::string_view what) {
    if (node.is_scalar()) return true;
    error(node.loc, path, fmt::format("expected {}, found {}", what, describe(node.kind)));
    return false;
}

std::optional<std::string> Fields::text(const Doc& node, const std::string& path,
                                        std::string_view what) {
    if (!expect_scalar(node, path, what)) return std::nullopt;
    return node.scalar;
}

std::optional<double> Fields::number(const Doc& node, const std::string& path,
                                     const NumberRule& rule) {
    const std::string what = describe_rule(rule);
    if (node.is_map() && !node.entries.empty() && parse_date(node.entries.front().key)) {
        // A map keyed by dates is a schedule: say where one may be written.
        error(node.loc, path,
              fmt::format("expected {}, found a dated schedule; {}", what, schedule_fields_hint()));
        return std::nullopt;
    }
    if (!expect_scalar(node, path, what)) return std::nullopt;
    double x = 0.0;
    switch (parse_number(node.scalar, x)) {
        case NumberParse::ok:
            break;
        case NumberParse::not_a_number:
            error(node.loc, path,
                  fmt::format("expected {}, got '{}'{}", what, node.scalar,
                              percent_hint(node.scalar)));
            return std::nullopt;
        case NumberParse::not_finite:
        case NumberParse::out_of_range:
            error(node.loc, path, fmt::format("expected a finite number, got '{}'", node.scalar));
            return std::nullopt;
    }
    if (!within(rule, x)) {
        // A share written as a percentage (approval: 20) is the likely mistake.
        const std::string hint =
            rule.probability && x >= 5.0 && x <= 100.0
                ? fmt::format(" (a share between 0 and 1: if {} means {} %, write {})", node.scalar,
                              node.scalar, x / 100.0)
                : "";
        error(node.loc, path, fmt::format("expected {}, got {}{}", what, node.scalar, hint));
        return std::nullopt;
    }
    return x;
}

std::optional<std::int64_t> Fields::integer(const Doc& node, const std::string& path,
                                            std::int64_t min, std::int64_t max) {
    const std::string what = fmt::format("a whole number >= {}", min);
    if (!expect_scalar(node, path, what)) return std::nullopt;
    std::int64_t x = 0;
    if (!parse_whole(node.scalar, x)) {
        error(node.loc, path, fmt::format("expected {}, got '{}'", what, node.scalar));
        return std::nullopt;
    }
    if (x < min) {
        error(node.loc, path, fmt::format("expected {}, got {}", what, node.scalar));
        return std::nullopt;
    }
    if (x > max) {
        error(node.loc, path,
              fmt::format("expected a whole number from {} to {}, got {}", min, max, node.scalar));
        return std::nullopt;
    }
    return x;
}

std::optional<std::uint64_t> Fields::unsigned_integer(const Doc& node, const std::string& path) {
    constexpr std::string_view what = "a whole number >= 0";
    if (!expect_scalar(node, path, what)) return std::nullopt;
    std::uint64_t x = 0;
    if (parse_whole(node.scalar, x)) return x;
    std::int64_t negative = 0;
    if (parse_whole(node.scalar, negative) && negative < 0)
        error(node.loc, path, fmt::format("expected {}, got {}", what, node.scalar));
    else
        error(node.loc, path,
              fmt::format("expected {} (at most {}), got '{}'", what,
                          std::numeric_limits<std::uint64_t>::max(), node.scalar));
    return std::nullopt;
}

std::optional<bool> Fields::boolean(const Doc& node, const std::string& path) {
    if (!expect_scalar(node, path, "true or false")) return std::nullopt;
    if (node.scalar == "true") return true;
    if (node.scalar == "false") return false;
    error(node.loc, path, fmt::format("expected true or false, got '{}'", node.scalar));
    return std::nullopt;
}

std::optional<Date> Fields::date(const Doc& node, const std::string& path) {
    constexpr std::string_view what = "a date (YYYY-MM or YYYY-MM-DD)";
    if (!expect_scalar(node, path, what)) return std::nullopt;
    std::optional<Date> d = parse_date(node.scalar);
    if (!d) error(node.loc, path, fmt::format("expected {}, got '{}'", what, node.scalar));
    return d;
}

std::optional<std::size_t> Fields::choice(const Doc& node, const std::string& path,
                                          std::string_view what,
                                          const std::vector<std::string>& choices) {
    if (!expect_scalar(node, path, fmt::format("a {} (one of: {})", what, join(choices))))
        return std::nullopt;
    const auto it = std::find(choices.begin(), choices.end(), node.scalar);
    if (it != choices.end()) return static_cast<std::size_t>(it - choices.begin());
    error(node.loc, path,
          fmt::format("unknown {} '{}'{}; expected one of: {}", what, node.scalar,
                      did_you_mean(node.scalar, choices), join(choices)));
    return std::nullopt;
}

void Fields::check_keys(const Doc& map, const std::string& path,
                        const std::vector<std::string>& allowed, const KeyAdvice& advice) {
    for (const DocEntry& e : map.entries) {
        if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
        if (e.key == "<<") {
            error(e.key_loc, path,
                  "YAML merge keys ('<<') are not supported: write the keys out, or use 'extends'");
            continue;
        }
        if (advice) {
            if (std::optional<std::string> message = advice(e.key)) {
                error(e.key_loc, path, std::move(*message));
                continue;
            }
        }
        error(e.key_loc, path,
              fmt::format("unknown key '{}'{}; expected one of: {}", e.key,
                          did_you_mean(e.key, allowed), join(allowed)));
    }
}

// ---------------------------------------------------------------------------------------------
// MapReader

MapReader::MapReader(Fields& fields, const Doc& node, std::string path,
                     const std::vector<std::string>& allowed, const KeyAdvice& advice)
    : fields_(fields), node_(node), path_(std::move(path)) {
    fields_.check_keys(node_, path_, allowed, advice);
}

const Doc* MapReader::required(std::string_view key) const {
    return lookup(key, true);
}

const Doc* MapReader::lookup(std::string_view key, bool required) const {
    const Doc* value = node_.find(key);
    if (!value && required)
        fields_.error(node_.loc, path_, fmt::format("missing required key '{}'", key));
    return value;
}

std::optional<std::string> MapReader::text(std::string_view key, bool required) const {
    const Doc* value = lookup(key, required);
    return value ? fields_.text(*value, path(key)) : std::nullopt;
}

std::optional<double> MapReader::number(std::string_view key, const NumberRule& rule,
                                        bool required) const {
    const Doc* value = lookup(key, required);
    return value ? fields_.number(*value, path(key), rule) : std::nullopt;
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, std::int64_t min,
                                               bool required) const {
    const Doc* value = lookup(key, required);
    return value ? fields_.integer(*value, path(key), min) : std::nullopt;
}

std::optional<bool> MapReader::boolean(std::string_view key) const {
    const Doc* value = lookup(key, false);
    return value ? fields_.boolean(*value, path(key)) : std::nullopt;
}

std::optional<Date> MapReader::date(std::string_view key) const {
    const Doc* value = lookup(key, false);
    return value ? fields_.date(*value, path(key)) : std::nullopt;
}

std::optional<std::size_t> MapReader::choice(std::string_view key, std::string_view what,
                                             const std::vector<std::string>& choices) const {
    const Doc* value = lookup(key, false);
    return value ? fields_.choice(*value, path(key), what, choices) : std::nullopt;
}

}  // namespace ts::io::detail
