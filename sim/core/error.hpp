#pragma once
// Errors with source locations. Bad input is reported compiler-style:
//   scenarios/x.yaml:42:7: error: policies[cap-t2].destinations.countries[0]: unknown country 'MYA'
//   (did you mean 'MYS'?)
// InputError (exit code 2) carries every diagnostic found; RunError (exit 1) is a failure while
// running; InternalError (exit 1, its own message) is a bug in tradesim. A blocked flow is an
// outcome, never an exception.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

struct SourceLoc {
    std::string file;  // scenario file path, or a pseudo-file such as "--set"
    int line = 0;      // 1-based; 0 = unknown
    int column = 0;    // 1-based; 0 = unknown
    bool known() const { return !file.empty(); }
};

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity = Severity::error;
    SourceLoc loc;
    std::string path;     // scenario path of the key, e.g. "policies[us-oct-2023].license.approval"
    std::string message;  // what is wrong and what was expected
    /// "file:line:col: error: path: message"
    std::string format() const;
};

class Diagnostics {
  public:
    void error(SourceLoc loc, std::string path, std::string message);
    void warning(SourceLoc loc, std::string path, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    bool has_errors() const;
    std::size_t error_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }
    std::vector<Diagnostic> warnings() const;
    /// Throws InputError holding every diagnostic if any error was recorded.
    void throw_if_errors() const;  // carries warnings too, in order

  private:
    std::vector<Diagnostic> items_;
};

/// Invalid scenario or command line: exit code 2, nothing written.
class InputError : public std::runtime_error {
  public:
    explicit InputError(std::vector<Diagnostic> diags);
    explicit InputError(const std::string& message);  // a single error with no location
    const std::vector<Diagnostic>& diagnostics() const { return diags_; }

  private:
    std::vector<Diagnostic> diags_;
};

/// Failure while running (I/O, numerical breakdown, broken invariant): exit code 1.
class RunError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A broken invariant of the engine (an accounting identity that must hold whatever the
/// input): a bug in tradesim, never a fault of the scenario. what() says so and asks for a
/// report; detail() is the identity that broke. Not a RunError, so that nothing treats it as an
/// ordinary run failure.
class InternalError : public std::logic_error {
  public:
    explicit InternalError(const std::string& detail);
    const std::string& detail() const { return detail_; }

  private:
    std::string detail_;
};

/// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate if it is close enough to be a plausible typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
/// " (did you mean 'X'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ts
