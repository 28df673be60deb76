#pragma once
// RFC 4180 CSV reading, the counterpart of csv.hpp: records end in LF or CRLF, fields may be
// quoted ("" is a quote inside quotes, and quoted fields may hold commas, CR and LF), the first
// record is the header. One leading apostrophe is removed from every field: csv_field writes it
// before text that a spreadsheet would take for a formula (`'=x` -> `=x`, `''x` -> `'x`). Files are
// streamed record by record, so a large flows.csv is never held in memory. Malformed input throws
// ts::InputError naming file:line (bad input, exit code 2); a file that cannot be read throws
// ts::RunError.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::io {

class CsvReader {
  public:
    /// Opens `path` and reads its header row. Throws RunError if the file cannot be opened and
    /// InputError if it is empty or its header is malformed.
    explicit CsvReader(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return path_; }
    const std::vector<std::string>& header() const { return header_; }
    /// The position of column `name` in the header, or nullopt.
    std::optional<std::size_t> find_column(std::string_view name) const;
    /// The position of column `name`; throws InputError naming the file if it is missing.
    std::size_t column(std::string_view name) const;

    /// Reads the next record into `fields` (reusing its storage). Returns false at the end of
    /// the file. Throws InputError when the record has a different number of fields than the
    /// header or a quote is not closed. An empty last line is not a record.
    bool next(std::vector<std::string>& fields);
    /// The line on which the record last returned by next() starts (1-based; the header is 1).
    std::uint64_t line() const { return record_line_; }

    /// "FILE:LINE: error: MESSAGE" as an InputError for the current record.
    [[noreturn]] void fail(const std::string& message) const;
    /// Field `i` of `fields` as a number (fixed or exponent notation, "nan", "inf", "-inf");
    /// throws InputError naming the file, line and column otherwise.
    double number(const std::vector<std::string>& fields, std::size_t i) const;
    /// Field `i` as a whole number; throws InputError otherwise.
    std::int64_t integer(const std::vector<std::string>& fields, std::size_t i) const;

  private:
    bool read_record(std::vector<std::string>& fields);

    std::filesystem::path path_;
    std::ifstream in_;
    std::vector<std::string> header_;
    std::uint64_t next_line_ = 1;    // line where the next record starts
    std::uint64_t record_line_ = 0;  // line where the last record started
};

/// The number in `text` (as CsvReader::number), or nullopt.
std::optional<double> parse_csv_number(std::string_view text);

/// Parses a whole CSV text into records (header included); for small files and tests.
/// Throws InputError("<what>:LINE: ...") on malformed input.
std::vector<std::vector<std::string>> parse_csv(std::string_view text,
                                                const std::string& what = "csv");

}  // namespace ts::io
