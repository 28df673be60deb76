// CSV reading (sim/io/csv_reader) and the manifest member lookup of the run reader: quoting,
// line ends, malformed records reported with file:line, and round trips with the writer.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/csv_reader.hpp"
#include "io/manifest.hpp"
#include "io/run_reader.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using ts::io::CsvReader;
using ts::io::parse_csv;
using ts::test::TempDir;

namespace {

fs::path write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p;
}

std::string first_message(const ts::InputError& e) {
    return e.diagnostics().front().format();
}

}  // namespace

TEST_CASE("parse_csv: quoted fields, doubled quotes, commas and line breaks inside quotes") {
    const auto rows = parse_csv("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == std::vector<std::string>{"a", "b", "c"});
    CHECK(rows[1] == std::vector<std::string>{"x,y", "say \"hi\"", "two\nlines"});
    CHECK(rows[2] == std::vector<std::string>{"", "", ""});
}

TEST_CASE("parse_csv: CRLF record ends and a missing final line end") {
    const auto rows = parse_csv("a,b\r\n1,\"2\"\r\n3,4");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1] == std::vector<std::string>{"1", "2"});
    CHECK(rows[2] == std::vector<std::string>{"3", "4"});
}

TEST_CASE(
    "parse_csv: an unterminated quote and text after a closing quote are errors with the line") {
    try {
        parse_csv("a,b\n1,2\n\"open,3\n", "t.csv");
        FAIL("no error");
    } catch (const ts::InputError& e) {
        CHECK(first_message(e) == "t.csv:3:1: error: unterminated quoted field");
    }
    CHECK_THROWS_AS(parse_csv("a\n\"x\"y\n"), ts::InputError);
}

TEST_CASE("CsvReader reads back what CsvWriter wrote, field by field") {
    TempDir dir("csvreader");
    const fs::path p = dir.path() / "t.csv";
    {
        ts::io::CsvWriter w(p, {"name", "value"});
        w.text("plain").number(1.5, 4).end_row();
        w.text("with, comma \"and quote\"").number(-2.25, 2).end_row();
        w.text(" padded ").number(std::numeric_limits<double>::infinity(), 2).end_row();
        w.commit();
    }
    CsvReader r(p);
    CHECK(r.header() == std::vector<std::string>{"name", "value"});
    CHECK(r.column("value") == 1);
    CHECK_FALSE(r.find_column("missing"));
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    CHECK(f[0] == "plain");
    CHECK(r.number(f, 1) == 1.5);
    CHECK(r.line() == 2);
    REQUIRE(r.next(f));
    CHECK(f[0] == "with, comma \"and quote\"");
    CHECK(r.number(f, 1) == -2.25);
    REQUIRE(r.next(f));
    CHECK(f[0] == " padded ");
    CHECK(std::isinf(r.number(f, 1)));
    CHECK_FALSE(r.next(f));
}

TEST_CASE("CsvReader gives back ids with separators, line breaks and formula characters") {
    TempDir dir("csvreader");
    const fs::path p = dir.path() / "ids.csv";
    const std::vector<std::string> ids{
        "=1+2,\"flag\"", "+mid", "@accel", "-us,designer", "'quoted \"cn\"",    "line\nbreak",
        "cr\r\nlf",      "''",   "-5",     "-1+1",         "=cmd|' /C calc'!A0"};
    {
        ts::io::CsvWriter w(p, {"id", "value"});
        for (const auto& id : ids) w.text(id).number(-1.0, 1).end_row();
        w.commit();
    }
    CsvReader r(p);
    std::vector<std::string> f;
    for (const auto& id : ids) {
        REQUIRE(r.next(f));
        CHECK(f[0] == id);
        CHECK(r.number(f, 1) == -1.0);
    }
    CHECK_FALSE(r.next(f));
}

TEST_CASE(
    "CsvReader reports a wrong field count, a bad number and a missing column with file:line") {
    TempDir dir("csvreader");
    const fs::path p = write(dir.path() / "bad.csv", "a,b\n1,2\n3\n4,x\n");
    CsvReader r(p);
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    try {
        r.next(f);
        FAIL("no error");
    } catch (const ts::InputError& e) {
        CHECK(first_message(e) == p.string() + ":3:1: error: 1 field(s), but the header has 2");
    }
    REQUIRE(r.next(f));
    try {
        r.number(f, 1);
        FAIL("no error");
    } catch (const ts::InputError& e) {
        CHECK(first_message(e) == p.string() + ":4:1: error: column 'b': 'x' is not a number");
    }
    try {
        r.column("run");
        FAIL("no error");
    } catch (const ts::InputError& e) {
        CHECK(first_message(e) == p.string() + ":1:1: error: missing column 'run'");
    }
    CHECK_THROWS_AS(CsvReader(write(dir.path() / "empty.csv", "")), ts::InputError);
    CHECK_THROWS_AS(CsvReader(dir.path() / "absent.csv"), ts::RunError);
}

TEST_CASE("parse_csv_number accepts fixed, exponent and the writer's nan/inf, nothing else") {
    using ts::io::parse_csv_number;
    CHECK(parse_csv_number("12.5000") == 12.5);
    CHECK(parse_csv_number("-3") == -3.0);
    CHECK(parse_csv_number("1e3") == 1000.0);
    CHECK(std::isnan(*parse_csv_number("nan")));
    CHECK(*parse_csv_number("-inf") < 0);
    CHECK_FALSE(parse_csv_number(""));
    CHECK_FALSE(parse_csv_number("1,5"));
    CHECK_FALSE(parse_csv_number("12 "));
}

TEST_CASE("json_member reads the scenario name and seed that manifest_json writes") {
    ts::io::Manifest m;
    m.scenario_name = "chips \"baseline\" \\ Δ";
    m.seed = 18446744073709551615ULL;
    m.command_line = {"tradesim", "run", "scenario_name"};
    const std::string json = ts::io::manifest_json(m);
    CHECK(ts::io::json_member(json, "scenario_name") == m.scenario_name);
    CHECK(ts::io::json_member(json, "seed") == "18446744073709551615");
    CHECK_FALSE(ts::io::json_member(json, "absent"));
    CHECK(ts::io::json_member(R"({"a": "\u00e9\ud83d\ude00\n"})", "a") ==
          "\xC3\xA9\xF0\x9F\x98\x80\n");
}
