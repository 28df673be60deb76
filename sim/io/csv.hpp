#pragma once
// RFC 4180 CSV writing: `.` decimal, fixed precision, UTF-8 passed through, a header row.
// Records end in "\n" (kCsvLineEnd), not the CRLF of RFC 4180 section 2: Unix tools (diff, awk,
// cut) and every CSV reader we target accept it, and approved test files stay readable. Quoted
// fields may still contain CR/LF.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "io/output_dir.hpp"

namespace ts::io {

inline constexpr std::string_view kCsvLineEnd = "\n";

/// The field as written in a CSV file: quoted when it contains `,` `"` CR or LF or has leading or
/// trailing whitespace (space or tab), with `"` doubled inside the quotes; unchanged otherwise.
/// Text that a spreadsheet would evaluate as a formula (csv_text_needs_apostrophe) is written
/// quoted with a leading apostrophe: `=1+2` -> `"'=1+2"` (OWASP "CSV injection"); text that
/// already begins with `'` gets one more, so csv_text_unescape() gives back exactly the text.
std::string csv_field(std::string_view text);
/// True for text beginning with `=` `+` `-` `@` TAB CR or `'`, except plain numbers such as
/// "-1.5", "+2" or "-inf" (a spreadsheet reads those as the number; they stay unchanged).
bool csv_text_needs_apostrophe(std::string_view text);
/// Undoes the apostrophe of csv_field on a parsed field: removes one leading `'`.
void csv_text_unescape(std::string& field);
/// Appends csv_field(text) to `out`.
void append_csv_field(std::string& out, std::string_view text);

/// Fixed notation with `decimals` digits after the point (negative counts as 0), never "-0.00":
/// negative zero and negative values that round to zero print without the sign. +inf -> "inf",
/// -inf -> "-inf", NaN -> "nan". Locale-independent.
std::string format_fixed(double v, int decimals);
/// Appends format_fixed(v, decimals) to `out`, without allocating when `out` has room.
void append_fixed(std::string& out, double v, int decimals);

/// Streams rows to an AtomicFile (`<path>.tmp`, renamed to `<path>` by commit()). Build a row
/// field by field and finish it with end_row(), or write it at once with row().
class CsvWriter {
  public:
    /// Creates the temporary file and writes the header row. Throws RunError.
    CsvWriter(const std::filesystem::path& path, std::initializer_list<std::string_view> header,
              bool sync = false);
    CsvWriter(const std::filesystem::path& path, const std::vector<std::string_view>& header,
              bool sync = false);

    CsvWriter& text(std::string_view value);  ///< quoted as needed
    CsvWriter& number(double value, int decimals);
    CsvWriter& integer(std::int64_t value);
    CsvWriter& empty();                               ///< an empty field
    CsvWriter& preformatted(std::string_view field);  ///< already a valid CSV field
    void end_row();
    void row(std::initializer_list<std::string_view> values);

    /// Flushes and renames into place (see AtomicFile::commit).
    void commit();
    const std::filesystem::path& path() const { return file_.final_path(); }
    /// Data rows written so far (the header not counted).
    std::uint64_t rows() const { return rows_; }
    /// Bytes written so far, the header included.
    std::uint64_t bytes() const { return file_.bytes_written(); }

  private:
    void separator();

    AtomicFile file_;
    std::string row_;
    bool row_started_ = false;
    std::uint64_t rows_ = 0;
};

}  // namespace ts::io
