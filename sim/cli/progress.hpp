#pragma once
// A progress bar on a terminal: ticks done, rate, time left. Silent when stderr is not a
// terminal or when disabled (--quiet).
#include <chrono>
#include <string>
#include <string_view>

namespace ts::cli {

class ProgressBar {
  public:
    ProgressBar(std::string label, bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(int done, int total) { update(done, total, {}); }
    /// With a note after the rate and time left (calibrate: the best objective so far).
    void update(int done, int total, std::string_view note);
    void finish();

    /// True when stderr is an interactive terminal.
    static bool stderr_is_terminal();

  private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace ts::cli
