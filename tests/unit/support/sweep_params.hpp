#pragma once
// Sweep parameters from their command-line specs, for the design tests (grid, LHS, Morris,
// Sobol): `params({"a=0:1", "b=1,2,3"})`.
#include <initializer_list>
#include <vector>

#include "analysis/sweep_design.hpp"

namespace ts::test {

inline std::vector<analysis::SweepParameter> params(std::initializer_list<const char*> specs) {
    std::vector<analysis::SweepParameter> out;
    for (const char* s : specs) out.push_back(analysis::parse_sweep_parameter(s));
    return out;
}

}  // namespace ts::test
