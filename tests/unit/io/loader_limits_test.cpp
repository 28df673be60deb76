// The reader's defences against bad input (docs/reliability.md, "Bad input"): file and value
// sizes, alias bombs, nesting, encodings, and the id rules with --set addressing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/doc.hpp"
#include "io/scenario_reader.hpp"
#include "io/targets_reader.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kWorld = R"(name: limits
time: {start: 2023-01, step: month, ticks: 12}
countries:
  - {code: USA}
  - {code: CHN, groups: [D5]}
products:
  - {id: H100, tpp: 15832, compute: 1.0}
suppliers:
  - {id: nvidia, jurisdiction: USA, made_in: USA, offers: [{product: H100, capacity: 1000, price: 25000}]}
buyers:
  - {id: cn-cloud, country: CHN, demand: 300, reference_cost: 25000}
)";

/// The formatted diagnostics of an InputError from parsing or loading `text`.
std::string errors_of(const std::string& text, const ts::io::LoadOptions& options = {}) {
    try {
        ts::io::load_scenario_text(text, "t.yaml", options);
    } catch (const ts::InputError& e) {
        std::string out;
        for (const auto& d : e.diagnostics()) out += d.format() + "\n";
        return out;
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a scenario file above 64 MiB is refused before it is read", "[limits]") {
    const fs::path path = fs::temp_directory_path() / "tradesim_huge_scenario.yaml";
    {
        std::ofstream out(path, std::ios::binary);
        out << "name: huge\n";
    }
    fs::resize_file(path, ts::io::kMaxFileBytes + 1);  // sparse: no disk space used
    try {
        ts::io::load_scenario(path.string());
        FAIL("expected an InputError");
    } catch (const ts::InputError& e) {
        CHECK(contains(e.what(),
                       "it is too large (67108865 bytes; a scenario file may have at "
                       "most 64 MiB)"));
    }
    fs::remove(path);
}

TEST_CASE("a value longer than 1 MiB is refused", "[limits]") {
    const std::string text =
        kWorld + "description: " + std::string(ts::io::kMaxScalarBytes + 1, 'x') + "\n";
    const std::string errors = errors_of(text);
    CHECK(errors ==
          "t.yaml:12:14: error: description: a single value of 1048577 bytes is too "
          "long (at most 1048576 bytes)\n");
}

TEST_CASE("an alias bomb is refused after a bounded number of values", "[limits]") {
    // 9 levels of 9 aliases: 9^9 = 387 million values if expanded.
    std::string text = "name: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i <= 9; ++i) {
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int k = 0; k < 9; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
        text += "]\n";
    }
    const std::string errors = errors_of(text);
    CHECK(contains(errors, "values after expanding YAML aliases (an alias bomb?)"));
    // Reported once, not once per value.
    CHECK(std::count(errors.begin(), errors.end(), '\n') <= 3);
}

TEST_CASE("a file without aliases never reaches the value budget", "[limits]") {
    // 150,000 values in a flow list: above kBaseValueBudget, but allowed by the file's size.
    std::string text = kWorld + "description: [";
    for (int i = 0; i < 150'000; ++i) text += i ? ",1" : "1";
    text += "]\n";
    const std::string errors = errors_of(text);
    CHECK_FALSE(contains(errors, "alias"));
    CHECK(contains(errors, "description: expected a string, found a list"));
}

TEST_CASE("deep nesting is an error, not a stack overflow", "[limits]") {
    for (int depth : {250, 5000, 100'000}) {
        INFO("depth " << depth);
        const std::string text =
            "name: deep\ndescription: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
        const std::string errors = errors_of(text);
        CHECK(contains(errors, "t.yaml:2:"));
        CHECK((contains(errors, "nested more than 200 levels deep") ||
               contains(errors, "invalid YAML")));
    }
}

TEST_CASE("encodings: BOM accepted, UTF-16/32 and bad bytes located", "[limits]") {
    const std::string bad_ticks = "name: x\ntime: {start: 2023-01, step: month, ticks: many}\n";
    CHECK(contains(errors_of("\xEF\xBB\xBF" + bad_ticks), "t.yaml:2:44: error: time.ticks:"));
    CHECK(contains(errors_of(std::string("\xFF\xFEn\0a\0", 6)),
                   "t.yaml:1:1: error: the file is encoded in UTF-16LE (by its byte-order mark)"));
    CHECK(contains(errors_of(std::string("\0\0\xFE\xFF", 4)),
                   "t.yaml:1:1: error: the file is encoded in UTF-32BE"));
    CHECK(contains(errors_of("name: x\ndescription: caf\xC3\xA9 \xE9t\xE9\n"),
                   "t.yaml:2:19: error: invalid UTF-8 (byte 0xE9)"));
    CHECK(contains(errors_of(std::string("name: x\n\0", 9)), "t.yaml:2:1: error: a NUL byte"));
    // Overlong encodings and surrogates are not UTF-8 either.
    CHECK(ts::io::invalid_utf8_offset("ab\xC0\xAF") == 2);
    CHECK(ts::io::invalid_utf8_offset("\xED\xA0\x80") == 0);
    CHECK(ts::io::invalid_utf8_offset("caf\xC3\xA9") == std::string::npos);
    CHECK(ts::io::printable("a\nb\tc\xE2\x80\xAE") == "a\\nb\\tc\\u{202E}");
}

TEST_CASE("ids may hold commas, quotes, spaces, newlines, dots, = and a leading + - @",
          "[limits][ids]") {
    std::string text = kWorld;
    text += R"(  - {id: "=cmd|' /C calc'!A0", country: CHN, demand: 1, reference_cost: 25000}
  - {id: "+a, \"quoted\" b", country: CHN, demand: 1, reference_cost: 25000}
  - {id: "-x@y", country: CHN, demand: 1, reference_cost: 25000}
  - {id: "@two\nlines", country: CHN, demand: 1, reference_cost: 25000}
  - {id: "v1.2=beta", country: CHN, demand: 1, reference_cost: 25000}
)";
    ts::io::LoadOptions options;
    options.overrides = {"buyers.-x@y.demand=7", "buyers.\"v1.2=beta\".demand=8",
                         "buyers.\"+a, \\\"quoted\\\" b\".demand=9",
                         "buyers.@two\nlines.demand=10"};
    const auto loaded = ts::io::load_scenario_text(text, "t.yaml", options);
    const auto& buyers = loaded.scenario.buyers;
    REQUIRE(buyers.size() == 6);
    CHECK(buyers[1].id == "=cmd|' /C calc'!A0");
    CHECK(buyers[2].id == "+a, \"quoted\" b");
    CHECK(buyers[3].demand == 7);
    CHECK(buyers[4].id == "@two\nlines");
    CHECK(buyers[4].demand == 10);
    CHECK(buyers[5].id == "v1.2=beta");
    CHECK(buyers[5].demand == 8);
    CHECK(buyers[2].demand == 9);
}

TEST_CASE("ids may not hold controls, bidi or zero-width characters, or outer white space",
          "[limits][ids]") {
    const auto with_id = [](const std::string& id) {
        return errors_of(kWorld + "  - {id: \"" + id + "\", country: CHN, demand: 1, " +
                         "reference_cost: 25000}\n");
    };
    CHECK(contains(with_id("a\\x01b"),
                   "an id must not contain control characters (other than "
                   "a newline): U+0001 at character 2 of 'a\\x01b'"));
    CHECK(contains(with_id("a\\x7Fb"), "U+007F at character 2"));
    CHECK(contains(with_id("a\\u0085b"), "U+0085 at character 2"));
    CHECK(contains(with_id("ab\\u202Ec"), "bidirectional text controls: U+202E at character 3"));
    CHECK(contains(with_id("ab\\u2066c"), "bidirectional text controls: U+2066"));
    CHECK(contains(with_id("\\u200Dab"), "zero-width characters: U+200D at character 1"));
    CHECK(contains(with_id("ab\\u2060"), "zero-width characters: U+2060"));
    CHECK(contains(with_id("ab\\uFEFF"), "zero-width characters: U+FEFF"));
    CHECK(contains(with_id(" ab"), "an id must not begin or end with white space, got ' ab'"));
    CHECK(contains(with_id("ab\\n"), "an id must not begin or end with white space, got 'ab\\n'"));
    CHECK(contains(with_id("ab\\u00A0"), "begin or end with white space"));
    CHECK(with_id("a b").empty());
}

TEST_CASE("the shipped scenarios still load", "[limits]") {
    const fs::path root = fs::path(TRADESIM_SOURCE_DIR) / "scenarios";
    std::size_t loaded = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path().string());
        // Calibration targets files (targets*.yaml) sit next to their worlds.
        if (entry.path().filename().string().rfind("targets", 0) == 0)
            CHECK_NOTHROW(ts::io::load_targets(entry.path().string()));
        else
            CHECK_NOTHROW(ts::io::load_scenario(entry.path().string()));
        ++loaded;
    }
    CHECK(loaded > 0);
}
