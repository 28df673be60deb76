// STREAM-style triad a[i] = b[i] + s·c[i] over arrays far larger than the caches: the memory
// bandwidth this machine sustains, against which scripts/bench reports the engine's effective
// bandwidth. Prints one CSV line per thread count: threads,elements,best_seconds,gb_per_s
// (bytes counted as STREAM does: 24 per element, 3 arrays of doubles; write-allocate traffic not
// counted).
//   stream_triad [MiB per array, default 256] [repetitions, default 10] [max threads, default 2]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

void triad(double* a, const double* b, const double* c, double s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 10;
    const int max_threads = argc > 3 ? std::atoi(argv[3]) : 2;
    if (mib == 0 || reps <= 0 || max_threads <= 0) {
        std::fprintf(stderr, "usage: stream_triad [MiB per array] [repetitions] [max threads]\n");
        return 2;
    }
    const std::size_t n = mib * 1024 * 1024 / sizeof(double);
    std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
    std::printf("threads,elements,best_seconds,gb_per_s\n");
    double sink = 0.0;
    for (int t = 1; t <= max_threads; ++t) {
        double best = 1e300;
        for (int r = 0; r < reps; ++r) {
            const auto start = std::chrono::steady_clock::now();
            std::vector<std::thread> pool;
            const std::size_t chunk =
                (n + static_cast<std::size_t>(t) - 1) / static_cast<std::size_t>(t);
            for (int k = 0; k < t; ++k) {
                const std::size_t lo = std::min(n, chunk * static_cast<std::size_t>(k));
                const std::size_t hi = std::min(n, lo + chunk);
                pool.emplace_back(triad, a.data() + lo, b.data() + lo, c.data() + lo, 3.0, hi - lo);
            }
            for (auto& th : pool) th.join();
            const double secs =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            best = std::min(best, secs);
            sink += a[static_cast<std::size_t>(r) % n];
        }
        std::printf("%d,%zu,%.6f,%.3f\n", t, n, best, 24.0 * static_cast<double>(n) / best / 1e9);
    }
    return sink < 0.0 ? 1 : 0;  // uses the results, so the loop is not optimised away
}
