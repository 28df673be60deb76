#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace ts::cli {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled && stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
    finish();
}

bool ProgressBar::stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::update(int done, int total, std::string_view note) {
    if (!enabled_ || total <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0.0 ? done / elapsed : 0.0;
    const double left = rate > 0.0 ? (total - done) / rate : 0.0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(static_cast<long>(kWidth) * done / total);
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kWidth - filled), '.');
    fmt::print(stderr, "\r{} [{}] {}/{} {:.0f}/s, {:.1f}s left {}", label_, bar, done, total, rate,
               left, note);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (enabled_ && drawn_) {
        fmt::print(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    drawn_ = false;
}

}  // namespace ts::cli
