#include "io/csv_reader.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv.hpp"

namespace ts::io {

namespace {

constexpr int kEnd = -1;

[[noreturn]] void throw_at(const std::string& file, std::uint64_t line,
                           const std::string& message) {
    Diagnostic d;
    d.loc.file = file;
    d.loc.line = static_cast<int>(line);
    d.message = message;
    throw InputError(std::vector<Diagnostic>{d});
}

/// Reads one record from `get` (a callable returning the next byte or kEnd). Returns false if
/// the input ended before any byte of a record. `line` is advanced past every LF consumed.
/// Throws on an unterminated quote.
template <class Get>
bool parse_record(Get&& get, std::vector<std::string>& fields, std::uint64_t& line,
                  const std::string& file) {
    const std::uint64_t start_line = line;
    std::size_t n = 0;
    auto field = [&]() -> std::string& {
        if (n == fields.size()) fields.emplace_back();
        std::string& f = fields[n];
        return f;
    };
    int c = get();
    if (c == kEnd) return false;
    field().clear();
    bool quoted = false;
    bool after_quote = false;  // a quoted field was closed; only , or end of record may follow
    for (;; c = get()) {
        if (quoted) {
            if (c == kEnd) throw_at(file, start_line, "unterminated quoted field");
            if (c == '"') {
                const int d = get();
                if (d == '"') {
                    field().push_back('"');
                    continue;
                }
                quoted = false;
                after_quote = true;
                c = d;  // fall through to the unquoted handling of the byte after the quote
            } else {
                if (c == '\n') ++line;
                field().push_back(static_cast<char>(c));
                continue;
            }
        }
        if (c == kEnd || c == '\n') {
            if (c == '\n') ++line;
            // CRLF: drop the CR that ends the last unquoted field.
            std::string& f = field();
            if (!after_quote && !f.empty() && f.back() == '\r') f.pop_back();
            ++n;
            break;
        }
        if (c == ',') {
            ++n;
            field().clear();
            after_quote = false;
            continue;
        }
        if (after_quote) {
            if (c == '\r') continue;  // CRLF after a closing quote
            throw_at(file, start_line,
                     "text after a closing quote (a quote inside a field must be doubled)");
        }
        if (c == '"' && field().empty()) {
            quoted = true;
            continue;
        }
        field().push_back(static_cast<char>(c));
    }
    fields.resize(n);
    for (auto& f : fields) csv_text_unescape(f);  // the apostrophe of csv_field's formula guard
    return true;
}

}  // namespace

std::optional<double> parse_csv_number(std::string_view text) {
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text.empty()) return std::nullopt;
    double v = 0.0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (*first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
    if (ec != std::errc() || ptr != last) return std::nullopt;
    return v;
}

CsvReader::CsvReader(const std::filesystem::path& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw RunError(fmt::format("cannot open '{}' for reading", path.string()));
    if (!read_record(header_)) throw_at(path_.string(), 1, "empty file (expected a header row)");
    // A UTF-8 byte order mark before the header is tolerated.
    if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
}

bool CsvReader::read_record(std::vector<std::string>& fields) {
    record_line_ = next_line_;
    std::streambuf* buf = in_.rdbuf();
    auto get = [buf]() -> int {
        const auto c = buf->sbumpc();
        return c == std::char_traits<char>::eof() ? kEnd : static_cast<unsigned char>(c);
    };
    const bool got = parse_record(get, fields, next_line_, path_.string());
    if (in_.bad()) throw RunError(fmt::format("error reading '{}'", path_.string()));
    return got;
}

bool CsvReader::next(std::vector<std::string>& fields) {
    if (!read_record(fields)) return false;
    if (fields.size() == 1 && fields[0].empty() && header_.size() != 1) {
        // A blank line: allowed only at the end of the file.
        std::vector<std::string> rest;
        const std::uint64_t blank = record_line_;
        if (!read_record(rest)) return false;
        record_line_ = blank;
        fail("empty line");
    }
    if (fields.size() != header_.size())
        fail(fmt::format("{} field(s), but the header has {}", fields.size(), header_.size()));
    return true;
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    return std::nullopt;
}

std::size_t CsvReader::column(std::string_view name) const {
    const auto i = find_column(name);
    if (!i) throw_at(path_.string(), 1, fmt::format("missing column '{}'", name));
    return *i;
}

void CsvReader::fail(const std::string& message) const {
    throw_at(path_.string(), record_line_, message);
}

double CsvReader::number(const std::vector<std::string>& fields, std::size_t i) const {
    const auto v = parse_csv_number(fields[i]);
    if (!v) fail(fmt::format("column '{}': '{}' is not a number", header_[i], fields[i]));
    return *v;
}

std::int64_t CsvReader::integer(const std::vector<std::string>& fields, std::size_t i) const {
    const std::string& text = fields[i];
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        fail(fmt::format("column '{}': '{}' is not a whole number", header_[i], text));
    return v;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text, const std::string& what) {
    std::vector<std::vector<std::string>> out;
    std::size_t pos = 0;
    auto get = [&]() -> int {
        if (pos >= text.size()) return kEnd;
        return static_cast<unsigned char>(text[pos++]);
    };
    std::uint64_t line = 1;
    std::vector<std::string> fields;
    while (parse_record(get, fields, line, what)) out.push_back(fields);
    return out;
}

}  // namespace ts::io
