#include <catch2/catch.hpp>

#include <type_traits>

#include "core/error.hpp"

using namespace ts;

TEST_CASE("diagnostics format compiler-style", "[error]") {
    Diagnostic d{Severity::error,
                 {"scenarios/x.yaml", 42, 7},
                 "policies[cap-t2].destinations.countries[0]",
                 "unknown country 'MYA' (did you mean 'MYS'?)"};
    CHECK(d.format() ==
          "scenarios/x.yaml:42:7: error: policies[cap-t2].destinations.countries[0]: unknown "
          "country 'MYA' (did "
          "you mean 'MYS'?)");
    Diagnostic w{Severity::warning, {"a.yaml", 3, 0}, "", "date outside the run"};
    CHECK(w.format() == "a.yaml:3:1: warning: date outside the run");
    Diagnostic bare{Severity::error, {}, "", "no file"};
    CHECK(bare.format() == "error: no file");
}

TEST_CASE("all diagnostics travel with the exception, warnings included", "[error]") {
    Diagnostics ds;
    ds.warning({"a.yaml", 1, 1}, "", "w");
    CHECK_NOTHROW(ds.throw_if_errors());
    ds.error({"a.yaml", 2, 1}, "", "e1");
    ds.error({"a.yaml", 3, 1}, "", "e2");
    CHECK(ds.error_count() == 2);
    try {
        ds.throw_if_errors();
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(e.diagnostics().size() == 3);
        CHECK(std::string(e.what()) == "a.yaml:2:1: error: e1 (and 2 more)");
    }
}

TEST_CASE("did-you-mean suggests close ids only", "[error]") {
    const std::vector<std::string> codes{"MYS", "SGP", "CHN", "USA"};
    CHECK(did_you_mean("MYA", codes) == " (did you mean 'MYS'?)");
    CHECK(did_you_mean("ZZZZZZ", codes).empty());
    CHECK(closest_match("capcity", {"capacity", "price", "unit_cost"}) == "capacity");
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("an internal error says it is a bug and asks for a report", "[error]") {
    const ts::InternalError e("tick 3: stock identity broken");
    CHECK_THAT(e.what(), Catch::StartsWith("internal error: tick 3: stock identity broken"));
    CHECK_THAT(e.what(), Catch::Contains("bug in tradesim") && Catch::Contains("report"));
    CHECK(e.detail() == "tick 3: stock identity broken");
}

// Not a RunError: no handler of ordinary run failures takes a bug for one.
static_assert(!std::is_base_of_v<ts::RunError, ts::InternalError>);
