// docs/scenario-format.md against the reader. Every key the reader accepts (the lists of
// io/scenario_schema.hpp, which the reader checks every map against) must have a row in one of
// the reference's key tables, naming every word a choice accepts and every policy type that
// takes the key; every row must name a key the reader accepts; and every YAML example must be
// valid (a whole scenario, or a fragment that completes the reference's first example).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/doc.hpp"
#include "io/scenario_reader.hpp"
#include "io/scenario_schema.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kReference = fs::path(TRADESIM_SOURCE_DIR) / "docs" / "scenario-format.md";

std::string read_reference() {
    std::ifstream in(kReference, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

/// The text of the first code span (`...`) of `line`, or "".
std::string first_code_span(std::string_view line) {
    const std::size_t open = line.find('`');
    if (open == std::string_view::npos) return "";
    const std::size_t close = line.find('`', open + 1);
    if (close == std::string_view::npos) return "";
    return std::string(line.substr(open + 1, close - open - 1));
}

/// The first cell of a table row ("| key | ..." -> "key"), trimmed.
std::string first_cell(std::string_view row) {
    row.remove_prefix(1);
    row = row.substr(0, row.find('|'));
    const std::size_t begin = row.find_first_not_of(' ');
    const std::size_t end = row.find_last_not_of(' ');
    return begin == std::string_view::npos ? "" : std::string(row.substr(begin, end - begin + 1));
}

/// The rows of the reference's key tables (tables whose header's first cell is "key"), by the
/// key path written as the first code span of the row.
std::map<std::string, std::string> documented_keys(const std::string& text) {
    std::map<std::string, std::string> rows;
    bool in_table = false;
    bool key_table = false;
    for (const std::string& line : lines_of(text)) {
        if (line.empty() || line.front() != '|') {
            in_table = false;
            continue;
        }
        if (!in_table) {  // the header row
            in_table = true;
            key_table = first_cell(line) == "key";
            continue;
        }
        if (!key_table || line.find("---") != std::string::npos) continue;
        const std::string path = first_code_span(line);
        if (path.empty()) continue;
        INFO("docs/scenario-format.md documents '" << path << "' twice");
        CHECK(rows.count(path) == 0);
        rows[path] = line;
    }
    return rows;
}

/// The ```yaml blocks of the reference, in order.
std::vector<std::string> yaml_examples(const std::string& text) {
    std::vector<std::string> blocks;
    std::string block;
    bool in_block = false;
    for (const std::string& line : lines_of(text)) {
        if (!in_block && line == "```yaml") {
            in_block = true;
            block.clear();
        } else if (in_block && line == "```") {
            in_block = false;
            blocks.push_back(block);
        } else if (in_block) {
            block += line + "\n";
        }
    }
    return blocks;
}

}  // namespace

TEST_CASE("every key the reader accepts is documented in docs/scenario-format.md") {
    const std::map<std::string, std::string> documented = documented_keys(read_reference());
    REQUIRE(!documented.empty());
    for (const ts::io::schema::AcceptedKey& key : ts::io::schema::accepted_keys()) {
        const auto row = documented.find(key.path);
        if (row == documented.end()) {
            FAIL_CHECK("docs/scenario-format.md does not document the key '" << key.path << "'");
            continue;
        }
        for (const std::string& value : key.values)
            if (row->second.find("`" + value + "`") == std::string::npos)
                FAIL_CHECK("docs/scenario-format.md: the row of '"
                           << key.path << "' does not name the accepted value `" << value << "`");
        for (const std::string& type : key.types)
            if (row->second.find("`" + type + "`") == std::string::npos)
                FAIL_CHECK("docs/scenario-format.md: the row of '"
                           << key.path << "' does not name the policy type `" << type
                           << "` that takes it");
    }
}

TEST_CASE("docs/scenario-format.md documents only keys the reader accepts") {
    std::set<std::string> accepted;
    for (const ts::io::schema::AcceptedKey& key : ts::io::schema::accepted_keys()) {
        INFO("the schema lists '" << key.path << "' twice");
        CHECK(accepted.insert(key.path).second);
    }
    for (const auto& [path, row] : documented_keys(read_reference()))
        if (!accepted.count(path))
            FAIL_CHECK("docs/scenario-format.md documents '" << path
                                                             << "', which the reader does not "
                                                                "accept");
}

TEST_CASE("every YAML example of docs/scenario-format.md is valid") {
    const std::vector<std::string> examples = yaml_examples(read_reference());
    REQUIRE(examples.size() > 1);
    // The first example is a whole scenario; every other one is either a whole scenario (it has
    // a `name`) or a fragment that the first one, merged with it, makes whole.
    const ts::io::Doc first = ts::io::parse_yaml(examples.front(), "example 1");
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const std::string label = "example " + std::to_string(i + 1);
        INFO("docs/scenario-format.md, " << label << ":\n" << examples[i]);
        try {
            ts::io::Doc doc = ts::io::parse_yaml(examples[i], label);
            if (!doc.find("name")) {
                ts::io::Doc whole = first;
                ts::io::merge(whole, doc);
                doc = std::move(whole);
            }
            ts::io::load_scenario_text(ts::io::emit_yaml(doc), label + ".yaml");
        } catch (const ts::InputError& e) {
            std::string messages;
            for (const auto& d : e.diagnostics()) messages += d.format() + "\n";
            FAIL_CHECK(messages);
        }
    }
}
