#include "core/error.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace ts {

std::string Diagnostic::format() const {
    std::string out;
    if (loc.known()) {
        out = loc.file;
        if (loc.line > 0) out += fmt::format(":{}:{}", loc.line, loc.column > 0 ? loc.column : 1);
        out += ": ";
    }
    out += severity == Severity::error ? "error: " : "warning: ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
}

void Diagnostics::error(SourceLoc loc, std::string path, std::string message) {
    items_.push_back({Severity::error, std::move(loc), std::move(path), std::move(message)});
}

void Diagnostics::warning(SourceLoc loc, std::string path, std::string message) {
    items_.push_back({Severity::warning, std::move(loc), std::move(path), std::move(message)});
}

bool Diagnostics::has_errors() const {
    return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(items_.begin(), items_.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::vector<Diagnostic> Diagnostics::warnings() const {
    std::vector<Diagnostic> out;
    for (const auto& d : items_)
        if (d.severity == Severity::warning) out.push_back(d);
    return out;
}

void Diagnostics::throw_if_errors() const {
    if (!has_errors()) return;
    throw InputError(items_);
}

namespace {
std::string summarise(const std::vector<Diagnostic>& diags) {
    auto first = std::find_if(diags.begin(), diags.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (first == diags.end()) return "invalid input";
    std::string s = first->format();
    if (diags.size() > 1) s += fmt::format(" (and {} more)", diags.size() - 1);
    return s;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diags)
    : std::runtime_error(summarise(diags)), diags_(std::move(diags)) {}

InputError::InputError(const std::string& message) : std::runtime_error(message) {
    Diagnostic d;
    d.message = message;
    diags_.push_back(std::move(d));
}

InternalError::InternalError(const std::string& detail)
    : std::logic_error(
          "internal error: " + detail +
          "\nThis is a bug in tradesim, not a problem with your scenario. Please report "
          "it to the tradesim maintainers with the scenario file, the command line and "
          "the version (tradesim --version)."),
      detail_(detail) {}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = static_cast<std::size_t>(-1);
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    const std::size_t limit = std::max<std::size_t>(1, (word.size() + 2) / 3);
    return best_d <= limit && best_d > 0 ? best : std::string{};
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string m = closest_match(word, candidates);
    return m.empty() ? std::string{} : fmt::format(" (did you mean '{}'?)", m);
}

}  // namespace ts
