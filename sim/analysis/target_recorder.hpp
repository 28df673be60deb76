#pragma once
// Feeds a simulation's records to a TargetAccumulator in memory, as the rows the run folder's
// CSV files would hold (the same CountryTick, FlowTick and RevenueTick), so `calibrate` can
// evaluate targets without writing files and agrees with `fit` on the same run.
#include <array>
#include <string_view>

#include "analysis/targets.hpp"
#include "engine/records.hpp"
#include "model/scenario.hpp"

namespace ts::analysis {

/// A Recorder adding every tick to `targets` (which it does not own). begin() sets the run's
/// names and buyers' headquarters from the scenario, which must outlive the recording.
class TargetRecorder final : public engine::Recorder {
  public:
    explicit TargetRecorder(TargetAccumulator& targets) : targets_(targets) {}

    void begin(const model::Scenario& scenario, int run) override;
    void record(const engine::TickRecord& tick) override;

  private:
    void add_flows(const engine::TickRecord& tick, std::string_view date);
    void add_revenue(const engine::TickRecord& tick, std::string_view date);

    TargetAccumulator& targets_;
    const model::Scenario* scenario_ = nullptr;
    int run_ = 0;
    std::array<char, 16> date_{};  // the tick's ISO date, as the CSV files write it
};

}  // namespace ts::analysis
