// No allocation in the tick loop after warm-up (issue 9, docs/performance.md, "No allocation in the
// tick loop").
//
// This executable replaces the global operator new/delete with counting versions. A test opens
// a counting window around Simulation::step() for every tick after the first ones and asserts
// that nothing was allocated: the engine reserves its per-tick lists at their upper bounds when
// it is built, and the records it hands to the recorder (events included) reuse their storage.
// The only ticks exempt are those where the set of policies changes (a policy announced, in
// force, lapsed or triggered by a reaction): the policy book and the legality tables are rebuilt
// then. The test counts those ticks separately, so that a regression elsewhere cannot hide.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "io/scenario_reader.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};

void* counted_alloc(std::size_t n) {
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (n == 0) n = 1;
    if (void* p = std::malloc(n)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) {
    return counted_alloc(n);
}
void* operator new[](std::size_t n) {
    return counted_alloc(n);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

using ts::engine::TickRecord;

/// Reads every record without keeping anything (no allocation of its own).
class SinkRecorder final : public ts::engine::Recorder {
  public:
    void record(const TickRecord& t) override {
        for (const auto& f : t.flows) checksum += f.units;
        for (const auto& c : t.countries) checksum += c.imports_compute;
        for (const auto& e : t.events)
            if (e.event != ts::engine::EventKind::capacity &&
                e.event != ts::engine::EventKind::launched)
                ++policy_events;
    }
    bool wants_buyer_flows() const override { return buyer_rows; }
    bool buyer_rows = true;  // false: flows summed over buyers (shipping.cpp)
    double checksum = 0.0;
    std::size_t policy_events = 0;  // the policy set changed
};

struct LoopAllocations {
    long quiet_ticks_allocations = 0;  // ticks where the policy set did not change
    long policy_ticks = 0;
    int ticks = 0;
};

LoopAllocations count_loop_allocations(const std::string& path, int warmup,
                                       bool buyer_rows = true) {
    const auto loaded = ts::io::load_scenario(path);
    ts::engine::RunConfig config;
    config.check_invariants = false;  // the checks are debug-only diagnostics, not the loop
    ts::engine::Simulation sim(loaded.scenario, config);
    SinkRecorder rec;
    rec.buyer_rows = buyer_rows;
    rec.begin(sim.world(), 0);
    LoopAllocations out;
    while (!sim.done()) {
        const bool counting = sim.tick() >= warmup;
        const std::size_t events_before = rec.policy_events;
        g_allocations = 0;
        g_counting = counting;
        sim.step(rec);
        g_counting = false;
        if (!counting) continue;
        ++out.ticks;
        if (rec.policy_events != events_before)
            ++out.policy_ticks;
        else
            out.quiet_ticks_allocations += g_allocations.load();
    }
    return out;
}

}  // namespace

TEST_CASE("the counting operator new sees allocations", "[alloc]") {
    g_allocations = 0;
    g_counting = true;
    auto* s = new std::string(100, 'x');
    g_counting = false;
    delete s;
    CHECK(g_allocations.load() >= 2);  // the string object and its heap buffer
}

TEST_CASE("no allocation in the tick loop after warm-up: chip baseline", "[alloc]") {
    for (const bool buyer_rows : {true, false}) {
        const auto r = count_loop_allocations(
            std::string(TRADESIM_SOURCE_DIR) + "/scenarios/chips/baseline.yaml", 2, buyer_rows);
        INFO("buyer rows " << buyer_rows << ": ticks counted " << r.ticks
                           << ", ticks where policies changed " << r.policy_ticks);
        CHECK(r.ticks > 40);
        CHECK(r.quiet_ticks_allocations == 0);
    }
}

TEST_CASE("no allocation in the tick loop after warm-up: multi-tier and rerouting examples",
          "[alloc]") {
    for (const char* name : {"/scenarios/examples/multi-tier/tool-control.yaml",
                             "/scenarios/examples/policies/transshipment.yaml",
                             "/scenarios/examples/policies/licence.yaml"}) {
        const auto r = count_loop_allocations(std::string(TRADESIM_SOURCE_DIR) + name, 2);
        INFO(name << ": ticks counted " << r.ticks << ", ticks where policies changed "
                  << r.policy_ticks);
        CHECK(r.ticks > 0);
        CHECK(r.quiet_ticks_allocations == 0);
    }
}
