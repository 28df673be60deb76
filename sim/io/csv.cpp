#include "io/csv.hpp"

#include <charconv>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace ts::io {

namespace {
bool needs_quotes(std::string_view text) {
    if (text.empty()) return false;
    const auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
    if (is_blank(text.front()) || is_blank(text.back())) return true;
    return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

/// A plain number as format_fixed or a sweep value writes it ("-1.5", "+2", "1e-3", "-inf"):
/// spreadsheets read it as that number, so it is not a formula to neutralise.
bool is_plain_number(std::string_view text) {
    if (text == "inf" || text == "-inf" || text == "+inf" || text == "nan") return true;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (first != last && (*first == '+' || *first == '-')) ++first;
    if (first == last || *first == '+' || *first == '-') return false;
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
    return ec == std::errc() && ptr == last;
}
}  // namespace

bool csv_text_needs_apostrophe(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r':
        case '\'':
            return true;
        case '+':
        case '-':
            return !is_plain_number(text);
        default:
            return false;
    }
}

void csv_text_unescape(std::string& field) {
    if (!field.empty() && field.front() == '\'') field.erase(0, 1);
}

void append_csv_field(std::string& out, std::string_view text) {
    const bool apostrophe = csv_text_needs_apostrophe(text);
    if (!apostrophe && !needs_quotes(text)) {
        out.append(text);
        return;
    }
    out.push_back('"');
    if (apostrophe) out.push_back('\'');
    for (const char c : text) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

std::string csv_field(std::string_view text) {
    std::string out;
    append_csv_field(out, text);
    return out;
}

void append_fixed(std::string& out, double v, int decimals) {
    if (std::isnan(v)) {
        out.append("nan");
        return;
    }
    if (std::isinf(v)) {
        out.append(v > 0 ? "inf" : "-inf");
        return;
    }
    const std::size_t start = out.size();
    // std::to_chars gives the correctly rounded fixed notation (as fmt's "{:.Nf}" does) without
    // going through a format string: this is the hot path of writing CSV.
    char buf[128];
    const int digits = decimals < 0 ? 0 : decimals;
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
    if (res.ec == std::errc())
        out.append(buf, static_cast<std::size_t>(res.ptr - buf));
    else  // very large magnitudes: more digits than the buffer holds
        fmt::format_to(std::back_inserter(out), "{:.{}f}", v, digits);
    // "-0.000": negative zero, or a small negative value that rounds to zero.
    if (out[start] == '-' && out.find_first_not_of("0.", start + 1) == std::string::npos)
        out.erase(start, 1);
}

std::string format_fixed(double v, int decimals) {
    std::string out;
    append_fixed(out, v, decimals);
    return out;
}

// ---------------------------------------------------------------------------------------------

CsvWriter::CsvWriter(const std::filesystem::path& path,
                     std::initializer_list<std::string_view> header, bool sync)
    : CsvWriter(path, std::vector<std::string_view>(header), sync) {}

CsvWriter::CsvWriter(const std::filesystem::path& path, const std::vector<std::string_view>& header,
                     bool sync)
    : file_(path, sync) {
    row_.reserve(256);
    for (const auto name : header) text(name);
    file_.write(row_);
    file_.write(kCsvLineEnd);
    row_.clear();
    row_started_ = false;
}

void CsvWriter::separator() {
    if (row_started_) row_.push_back(',');
    row_started_ = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
    separator();
    append_csv_field(row_, value);
    return *this;
}

CsvWriter& CsvWriter::number(double value, int decimals) {
    separator();
    append_fixed(row_, value, decimals);
    return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
    separator();
    fmt::format_to(std::back_inserter(row_), "{}", value);
    return *this;
}

CsvWriter& CsvWriter::empty() {
    separator();
    return *this;
}

CsvWriter& CsvWriter::preformatted(std::string_view field) {
    separator();
    row_.append(field);
    return *this;
}

void CsvWriter::end_row() {
    row_.append(kCsvLineEnd);
    file_.write(row_);
    row_.clear();
    row_started_ = false;
    ++rows_;
}

void CsvWriter::row(std::initializer_list<std::string_view> values) {
    for (const auto v : values) text(v);
    end_row();
}

void CsvWriter::commit() {
    file_.commit();
}

}  // namespace ts::io
