#pragma once
// Internal to the scenario reader: reading typed values out of a located Doc and reporting
// every problem with its location and scenario path. Nothing here knows the schema.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "io/doc.hpp"

namespace ts::io::detail {

/// Which fields take a dated schedule (scenario_schedule.cpp), for messages about a schedule
/// written where a plain number is required.
const char* schedule_fields_hint();

/// Accepted range of a number; the bounds are reported in messages ("a number >= 0").
struct NumberRule {
    std::optional<double> min;
    bool min_open = false;  // min itself excluded
    std::optional<double> max;
    bool max_open = false;
    bool probability = false;  // say "a probability in [0, 1]"
};

inline const NumberRule kAnyNumber{std::nullopt, false, std::nullopt, false, false};
inline const NumberRule kNonNegative{0.0, false, std::nullopt, false, false};
inline const NumberRule kPositive{0.0, true, std::nullopt, false, false};
inline const NumberRule kProbability{0.0, false, 1.0, false, true};

enum class NumberParse { ok, not_a_number, not_finite, out_of_range };
/// Strict decimal number: the whole text, std::from_chars, no '+', no NaN or infinity.
NumberParse parse_number(std::string_view text, double& out);

/// How a map key that is not in the allowed list should be reported: a message for keys
/// that are known but misplaced (e.g. "'rate' does not apply to a policy of type 'quota'"),
/// or nullopt for a plain unknown key (reported with a did-you-mean).
using KeyAdvice = std::function<std::optional<std::string>(std::string_view key)>;

/// Typed reads with diagnostics. Each returns nullopt after reporting a problem.
class Fields {
  public:
    explicit Fields(Diagnostics& diags) : diags_(diags) {}

    void error(const SourceLoc& loc, const std::string& path, std::string message);
    void warning(const SourceLoc& loc, const std::string& path, std::string message);
    std::size_t error_count() const { return diags_.error_count(); }

    /// Reports a node of the wrong kind ("expected a list of countries, found a map").
    bool expect_map(const Doc& node, const std::string& path, std::string_view what);
    bool expect_sequence(const Doc& node, const std::string& path, std::string_view what);

    std::optional<std::string> text(const Doc& node, const std::string& path,
                                    std::string_view what = "a string");
    std::optional<double> number(const Doc& node, const std::string& path,
                                 const NumberRule& rule = kAnyNumber);
    std::optional<std::int64_t> integer(const Doc& node, const std::string& path, std::int64_t min,
                                        std::int64_t max = 2147483647);
    std::optional<std::uint64_t> unsigned_integer(const Doc& node, const std::string& path);
    std::optional<bool> boolean(const Doc& node, const std::string& path);
    std::optional<Date> date(const Doc& node, const std::string& path);
    /// One of `choices` ("expected one of: day, week, month, quarter", with did-you-mean).
    std::optional<std::size_t> choice(const Doc& node, const std::string& path,
                                      std::string_view what,
                                      const std::vector<std::string>& choices);
    /// Reports keys of `map` outside `allowed`, in file order.
    void check_keys(const Doc& map, const std::string& path,
                    const std::vector<std::string>& allowed, const KeyAdvice& advice = {});

  private:
    bool expect_scalar(const Doc& node, const std::string& path, std::string_view what);
    Diagnostics& diags_;
};

/// A map being read: typed access to its keys, reporting missing required ones at the map.
class MapReader {
  public:
    /// `node` must be a map; its keys are checked against `allowed` right away.
    MapReader(Fields& fields, const Doc& node, std::string path,
              const std::vector<std::string>& allowed, const KeyAdvice& advice = {});

    const Doc& node() const { return node_; }
    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return path_join(path_, key); }

    const Doc* get(std::string_view key) const { return node_.find(key); }
    /// The value, or nullptr after reporting "missing required key".
    const Doc* required(std::string_view key) const;

    std::optional<std::string> text(std::string_view key, bool required = false) const;
    std::optional<double> number(std::string_view key, const NumberRule& rule,
                                 bool required = false) const;
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                        bool required = false) const;
    std::optional<bool> boolean(std::string_view key) const;
    std::optional<Date> date(std::string_view key) const;
    std::optional<std::size_t> choice(std::string_view key, std::string_view what,
                                      const std::vector<std::string>& choices) const;

  private:
    const Doc* lookup(std::string_view key, bool required) const;
    Fields& fields_;
    const Doc& node_;
    std::string path_;
};

}  // namespace ts::io::detail
