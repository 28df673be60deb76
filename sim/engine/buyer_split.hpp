#pragma once
// Per-buyer phases over threads (`run --threads N`, RunConfig::threads): the buyers are split
// into contiguous ranges of about equal candidate counts, one per thread, the first run on the
// calling thread. A phase split this way writes only each buyer's own state and counts its work
// per range, summed in range order afterwards, so its results are the same for any number of
// threads, byte for byte.
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace ts::engine {

class BuyerSplit {
  public:
    /// Plans `threads` ranges (at most one per buyer) over the buyers of the candidate rows
    /// `begin` (per buyer + 1).
    void plan(const std::vector<std::size_t>& begin, int threads);
    std::size_t parts() const { return bounds_.size() - 1; }

    /// Calls f(part, first buyer, end buyer) for every range, on its own thread, and waits;
    /// the first exception a range throws is rethrown here once all have stopped.
    template <class F>
    void run(F&& f) const {
        if (parts() == 1) return f(std::size_t{0}, bounds_[0], bounds_[1]);
        std::vector<std::exception_ptr> errors(parts());
        std::vector<std::thread> workers;
        workers.reserve(parts() - 1);
        const auto guarded = [&](std::size_t p) {
            try {
                f(p, bounds_[p], bounds_[p + 1]);
            } catch (...) {
                errors[p] = std::current_exception();
            }
        };
        try {
            for (std::size_t p = 1; p < parts(); ++p) workers.emplace_back(guarded, p);
        } catch (...) {
            for (auto& w : workers) w.join();
            throw;  // no thread to be had (resources): nothing was half done by this phase
        }
        guarded(0);
        for (auto& w : workers) w.join();
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
    }

  private:
    std::vector<std::size_t> bounds_{0, 0};  // parts + 1 buyer indices
};

}  // namespace ts::engine
