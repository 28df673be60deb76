// Golden bad-input cases: every folder of tests/bad_input holds a scenario that must be
// rejected and the exact diagnostics it must produce (see tests/bad_input/README.md).
//
// Set TRADESIM_ACCEPT_GOLDEN=1 to (re)write expected_stderr.txt from the current output instead
// of comparing; review the diff before committing it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/scenario_reader.hpp"
#include "io/targets_reader.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(TRADESIM_SOURCE_DIR) / "tests" / "bad_input";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Splits a command line like a shell would for simple cases: blanks separate words, single
/// and double quotes group (and are removed).
std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (char c : line) {
        if (quote) {
            if (c == quote)
                quote = 0;
            else
                word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(word);
    return words;
}

struct Invocation {
    std::string scenario;
    ts::io::LoadOptions options;
};

/// The scenario file and --set overrides of `tradesim run|validate SCENARIO [options]`.
Invocation parse_args(const std::vector<std::string>& words) {
    // Options of `tradesim run` that take a value (and are irrelevant to loading).
    static const std::vector<std::string> kWithValue = {"-o",      "--output",    "--seed",
                                                        "--runs",  "--threads",   "--detail",
                                                        "--shard", "--log-level", "--max-output"};
    Invocation inv;
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "--set" && i + 1 < words.size()) {
            inv.options.overrides.push_back(words[++i]);
        } else if (w.rfind("--set=", 0) == 0) {
            inv.options.overrides.push_back(w.substr(6));
        } else if (std::find(kWithValue.begin(), kWithValue.end(), w) != kWithValue.end()) {
            ++i;
        } else if (!w.empty() && w[0] == '-') {
            // a flag such as --force or --quiet, or --opt=value
        } else if (inv.scenario.empty()) {
            inv.scenario = w;
        }
    }
    return inv;
}

/// Changes the working directory for its lifetime.
class WorkingDirectory {
  public:
    explicit WorkingDirectory(const fs::path& dir) : saved_(fs::current_path()) {
        fs::current_path(dir);
    }
    ~WorkingDirectory() {
        std::error_code ec;
        fs::current_path(saved_, ec);
    }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

  private:
    fs::path saved_;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string diff(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    std::string out;
    for (std::size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
        const std::string* e = i < expected.size() ? &expected[i] : nullptr;
        const std::string* a = i < actual.size() ? &actual[i] : nullptr;
        if (e && a && *e == *a) {
            out += "  " + *e + "\n";
            continue;
        }
        if (e) out += "- " + *e + "\n";
        if (a) out += "+ " + *a + "\n";
    }
    return out;
}

struct Outcome {
    bool rejected = false;
    std::string stderr_text;
};

Outcome run_case(const fs::path& dir) {
    const fs::path args_file = dir / "args";
    // Like check_bad_input.sh: the first line of `args`, else "run scenario.yaml".
    const std::vector<std::string> args =
        fs::exists(args_file) ? lines_of(read_file(args_file)) : std::vector<std::string>{};
    const Invocation inv =
        parse_args(split_words(args.empty() ? std::string("run scenario.yaml") : args.front()));
    Outcome outcome;
    const WorkingDirectory cwd(dir);
    try {
        // A targets-file case (`tradesim fit ... --targets targets.yaml`) has no scenario.
        if (!fs::exists("scenario.yaml") && fs::exists("targets.yaml"))
            ts::io::load_targets("targets.yaml");
        else
            ts::io::load_scenario(inv.scenario, inv.options);
    } catch (const ts::InputError& e) {
        outcome.rejected = true;
        for (const auto& d : e.diagnostics()) outcome.stderr_text += d.format() + "\n";
    }
    return outcome;
}

std::vector<fs::path> case_dirs() {
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(kCases))
        if (entry.is_directory()) dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

}  // namespace

TEST_CASE("split_words and parse_args read the args file like the CLI", "[golden]") {
    const auto words = split_words(
        "run  scenario.yaml --seed 3 --set 'name=a b' --set=time.ticks=2 --force -o out");
    CHECK(words == std::vector<std::string>{"run", "scenario.yaml", "--seed", "3", "--set",
                                            "name=a b", "--set=time.ticks=2", "--force", "-o",
                                            "out"});
    const Invocation inv = parse_args(words);
    CHECK(inv.scenario == "scenario.yaml");
    CHECK(inv.options.overrides == std::vector<std::string>{"name=a b", "time.ticks=2"});
}

TEST_CASE("golden bad-input cases produce exactly their expected diagnostics", "[golden]") {
    const std::vector<fs::path> dirs = case_dirs();
    CHECK(dirs.size() >= 25);
    const bool accept = std::getenv("TRADESIM_ACCEPT_GOLDEN") != nullptr;
    std::size_t loader_cases = 0;
    for (const fs::path& dir : dirs) {
        const std::string name = dir.filename().string();
        INFO("case tests/bad_input/" << name);
        // A command-line case: its error comes from the CLI, not the loader (check_bad_input.sh).
        if (fs::exists(dir / "cli-only")) continue;
        ++loader_cases;
        const Outcome outcome = run_case(dir);
        CHECK(outcome.rejected);
        const fs::path expected_file = dir / "expected_stderr.txt";
        if (accept) {
            std::ofstream(expected_file, std::ios::binary) << outcome.stderr_text;
            continue;
        }
        REQUIRE(fs::exists(expected_file));
        const std::string expected = read_file(expected_file);
        if (expected != outcome.stderr_text) {
            FAIL_CHECK("stderr differs from expected_stderr.txt (- expected, + actual):\n"
                       << diff(lines_of(expected), lines_of(outcome.stderr_text)));
        }
    }
    CHECK(loader_cases >= 25);
}
