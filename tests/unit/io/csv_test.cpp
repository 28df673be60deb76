// RFC 4180 writing: quoting, fixed-precision numbers, and rows read back by an independent
// parser.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/csv.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using ts::io::csv_field;
using ts::io::CsvWriter;
using ts::io::format_fixed;

using ts::test::read_file;
using ts::test::TempDir;

namespace {

/// A strict RFC 4180 reader (LF or CRLF record ends), independent of the writer: it rejects a
/// quote inside an unquoted field, text after a closing quote and an unterminated quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    const std::size_t n = text.size();
    bool at_record_start = true;
    while (i < n) {
        at_record_start = false;
        if (text[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n) throw std::runtime_error("unterminated quoted field");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field.push_back(text[i++]);
            }
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                throw std::runtime_error("text after closing quote");
        } else {
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '"') throw std::runtime_error("quote in unquoted field");
                field.push_back(text[i++]);
            }
        }
        record.push_back(std::move(field));
        field.clear();
        if (i < n && text[i] == ',') {
            ++i;
            if (i == n) record.emplace_back();
            continue;
        }
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        records.push_back(std::move(record));
        record.clear();
        at_record_start = true;
    }
    if (!at_record_start) records.push_back(std::move(record));
    return records;
}

}  // namespace

TEST_CASE("csv_field leaves plain fields alone", "[io][csv]") {
    CHECK(csv_field("H100") == "H100");
    CHECK(csv_field("") == "");
    CHECK(csv_field("12.5") == "12.5");
    CHECK(csv_field("a b") == "a b");
    CHECK(csv_field("Zürich") == "Zürich");  // UTF-8 passes through
}

TEST_CASE("csv_field quotes separators, quotes, line breaks and edge spaces", "[io][csv]") {
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("\"") == "\"\"\"\"");
    CHECK(csv_field("line1\nline2") == "\"line1\nline2\"");
    CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
    CHECK(csv_field("crlf\r\n") == "\"crlf\r\n\"");
    CHECK(csv_field(" lead") == "\" lead\"");
    CHECK(csv_field("trail ") == "\"trail \"");
    CHECK(csv_field("tab\t") == "\"tab\t\"");
}

TEST_CASE("csv_field neutralises text a spreadsheet would evaluate, with an apostrophe",
          "[io][csv]") {
    CHECK(csv_field("=1+2") == "\"'=1+2\"");
    CHECK(csv_field("+mid") == "\"'+mid\"");
    CHECK(csv_field("-us") == "\"'-us\"");
    CHECK(csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csv_field("\tx") == "\"'\tx\"");
    CHECK(csv_field("\rx") == "\"'\rx\"");
    CHECK(csv_field("-") == "\"'-\"");
    CHECK(csv_field("-1+1") == "\"'-1+1\"");
    CHECK(csv_field("=a,\"b\"") == "\"'=a,\"\"b\"\"\"");
    // An apostrophe already there gets another, so the mapping can be undone exactly.
    CHECK(csv_field("'x") == "\"''x\"");
    CHECK(csv_field("a=b") == "a=b");  // only the first character matters
    // Plain numbers are not formulas: they stay as they are.
    CHECK(csv_field("-1.5") == "-1.5");
    CHECK(csv_field("+2") == "+2");
    CHECK(csv_field("-5") == "-5");
    CHECK(csv_field("1e-3") == "1e-3");
    CHECK(csv_field("-2.5e+3") == "-2.5e+3");
    CHECK(csv_field("-inf") == "-inf");
}

TEST_CASE("CsvWriter guards text fields but writes negative numbers as numbers", "[io][csv]") {
    TempDir dir;
    const fs::path p = dir.path() / "t.csv";
    CsvWriter w(p, {"id", "value"});
    w.text("-us").number(-1.5, 2).end_row();
    w.text("=cmd|' /C calc'!A0").integer(-3).end_row();
    w.commit();
    CHECK(read_file(p) == "id,value\n\"'-us\",-1.50\n\"'=cmd|' /C calc'!A0\",-3\n");
    for (const auto& row : parse_csv(read_file(p)))
        for (const auto& cell : row)
            if (!cell.empty() && std::string("=+@\t\r").find(cell[0]) != std::string::npos)
                FAIL("a cell a spreadsheet would evaluate: " << cell);
}

TEST_CASE("csv_text_unescape undoes the apostrophe, and only one", "[io][csv]") {
    for (const std::string text : {"=1+2", "'x", "''x", "-us", "plain", "-1.5", "", "'"}) {
        // What a reader sees after RFC 4180 parsing: the field without its quotes.
        std::string parsed = parse_csv(csv_field(text) + "\n").at(0).at(0);
        ts::io::csv_text_unescape(parsed);
        CHECK(parsed == text);
    }
}

TEST_CASE("the test's CSV parser rejects malformed input", "[io][csv]") {
    CHECK_THROWS(parse_csv("a\"b,c\n"));
    CHECK_THROWS(parse_csv("\"abc\n"));
    CHECK_THROWS(parse_csv("\"a\"b,c\n"));
    CHECK(parse_csv("a,\"b,c\"\r\nd,\n") ==
          std::vector<std::vector<std::string>>{{"a", "b,c"}, {"d", ""}});
}

TEST_CASE("format_fixed prints fixed notation with the requested decimals", "[io][csv]") {
    CHECK(format_fixed(1.23456, 2) == "1.23");
    CHECK(format_fixed(1.23456, 4) == "1.2346");
    CHECK(format_fixed(-1.5, 2) == "-1.50");
    CHECK(format_fixed(25000.0, 4) == "25000.0000");
    CHECK(format_fixed(1e20, 2) == "100000000000000000000.00");  // never exponent notation
    CHECK(format_fixed(3.7, 0) == "4");
    CHECK(format_fixed(3.7, -2) == "4");  // negative decimals act as 0
}

TEST_CASE("format_fixed never prints a negative zero", "[io][csv]") {
    CHECK(format_fixed(-0.0, 4) == "0.0000");
    CHECK(format_fixed(0.0, 2) == "0.00");
    CHECK(format_fixed(-0.00004, 4) == "0.0000");  // rounds to zero
    CHECK(format_fixed(-0.004, 2) == "0.00");
    CHECK(format_fixed(-0.4, 0) == "0");
    CHECK(format_fixed(-1e-300, 6) == "0.000000");
    CHECK(format_fixed(-0.006, 2) == "-0.01");  // rounds away from zero: keeps its sign
    CHECK(format_fixed(-10.0001, 2) == "-10.00");
}

TEST_CASE("format_fixed spells infinities and NaN", "[io][csv]") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(format_fixed(inf, 4) == "inf");
    CHECK(format_fixed(-inf, 4) == "-inf");
    CHECK(format_fixed(nan, 2) == "nan");
    CHECK(format_fixed(-nan, 2) == "nan");
    CHECK(format_fixed(std::copysign(nan, -1.0), 2) == "nan");
}

TEST_CASE("append_fixed appends to what is there", "[io][csv]") {
    std::string s = "x=";
    ts::io::append_fixed(s, -0.0, 1);
    CHECK(s == "x=0.0");
}

TEST_CASE("CsvWriter rows read back field for field", "[io][csv]") {
    TempDir dir;
    const fs::path path = dir.path() / "t.csv";
    const std::vector<std::vector<std::string>> rows = {
        {"comma,inside", "quote\"inside", "multi\nline", " padded ", ""},
        {"plain", "crlf\r\nend", "\"\"", "Zürich", "x"},
    };
    {
        CsvWriter w(path, {"a", "b,c", "d", "e", "f"});
        for (const auto& r : rows) {
            for (const auto& f : r) w.text(f);
            w.end_row();
        }
        w.row({"1", "2", "3", "4", "5"});
        w.integer(-7).number(-0.0, 2).number(2.345, 1).empty().preformatted("\"raw\"").end_row();
        CHECK(w.rows() == 4);
        CHECK_FALSE(fs::exists(path));  // only the temporary file until commit
        CHECK(fs::exists(dir.path() / "t.csv.tmp"));
        w.commit();
    }
    CHECK_FALSE(fs::exists(dir.path() / "t.csv.tmp"));
    const std::string text = read_file(path);
    CHECK(text.substr(0, 16) == "a,\"b,c\",d,e,f\n\"c");
    const auto parsed = parse_csv(text);
    REQUIRE(parsed.size() == 5);
    CHECK(parsed[0] == std::vector<std::string>{"a", "b,c", "d", "e", "f"});
    CHECK(parsed[1] == rows[0]);
    CHECK(parsed[2] == rows[1]);
    CHECK(parsed[3] == std::vector<std::string>{"1", "2", "3", "4", "5"});
    CHECK(parsed[4] == std::vector<std::string>{"-7", "0.00", "2.3", "", "raw"});
    CHECK(text.back() == '\n');
}

TEST_CASE("CsvWriter destroyed without commit leaves no file", "[io][csv]") {
    TempDir dir;
    {
        CsvWriter w(dir.path() / "t.csv", {"a"});
        w.row({"1"});
    }
    CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("CsvWriter into a missing folder is a RunError naming the path", "[io][csv]") {
    TempDir dir;
    const fs::path path = dir.path() / "missing" / "t.csv";
    try {
        CsvWriter w(path, {"a"});
        FAIL("no exception");
    } catch (const ts::RunError& e) {
        CHECK_THAT(e.what(),
                   Catch::Contains("missing/t.csv.tmp") && Catch::Contains("No such file"));
    }
}
