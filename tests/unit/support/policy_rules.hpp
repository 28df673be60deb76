#pragma once
// The policy book and legality tables of a scenario at tick 0, for policy tests that ask what
// the rules say without running the engine.
#include <vector>

#include "model/scenario.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::test {

struct Rules {
    policy::PolicyBook book;
    policy::Legality legality;
    explicit Rules(const model::Scenario& s) : book(s), legality(book) {
        std::vector<policy::Transition> tr;
        book.advance(0, tr);
        legality.rebuild();
    }
};

}  // namespace ts::test
