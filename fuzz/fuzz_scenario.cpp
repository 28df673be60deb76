// libFuzzer target: bytes -> scenario text -> full load and validation, as `tradesim validate`
// does (parse, `extends` and `remove`, emit the resolved YAML, check every key, build the
// Scenario). An InputError is an expected outcome; a crash, sanitizer report, leak, any other
// exception or a timeout is a bug.
//
// `extends` is made harmless: the input is named <build>/fuzz/bases/input.yaml, and an input
// whose top-level `extends` is not a plain file name (letters, digits, '-', '_', '.', not
// starting with '.') is rejected before loading, so only the fixed base scenarios copied into
// that folder (base.yaml, tier-base.yaml, baseline.yaml, loop.yaml) can ever be read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/doc.hpp"
#include "io/scenario_reader.hpp"

namespace {

bool plain_file_name(std::string_view name) {
    if (name.empty() || name.front() == '.') return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

/// False if loading `text` could read a file outside the bases folder.
bool extends_is_confined(std::string_view text, const std::string& file) {
    ts::Diagnostics diags;
    const std::optional<ts::io::Doc> doc = ts::io::parse_yaml(text, file, diags);
    if (!doc || !doc->is_map()) return true;  // the loader stops before any `extends`
    const ts::io::Doc* extends = doc->find("extends");
    if (!extends || !extends->is_scalar()) return true;  // reported, never followed
    return plain_file_name(extends->scalar);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string file = std::string(TRADESIM_FUZZ_BASES) + "/input.yaml";
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!extends_is_confined(text, file)) return -1;  // not added to the corpus
    try {
        const ts::io::LoadedScenario loaded = ts::io::load_scenario_text(text, file);
        (void)loaded;
    } catch (const ts::InputError&) {
        // A diagnosed invalid scenario: the expected outcome for most inputs.
    }
    return 0;
}
