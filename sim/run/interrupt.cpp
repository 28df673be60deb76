#include "run/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

#include <fmt/format.h>

namespace ts::run {

namespace {

std::atomic<int> g_signal{0};
std::atomic<bool> g_second_exits{true};
static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

extern "C" void on_signal(int sig) {
    // Only async-signal-safe operations here: an atomic exchange and _exit.
    const int first = g_signal.exchange(sig);
    if (first != 0 && g_second_exits.load()) ::_exit(128 + first);  // a second signal
}

}  // namespace

Interrupted::Interrupted(int signal)
    : signal_(signal), what_(fmt::format("interrupted by {}", signal_name())) {}

std::string Interrupted::signal_name() const {
    switch (signal_) {
        case SIGINT:
            return "SIGINT";
        case SIGTERM:
            return "SIGTERM";
        default:
            return fmt::format("signal {}", signal_);
    }
}

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // system calls continue; the flag is checked at safe points
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, nullptr);
}

void set_second_signal_exits(bool exits) {
    g_second_exits.store(exits);
}

int pending_signal() {
    return g_signal.load(std::memory_order_relaxed);
}

void throw_if_interrupted() {
    if (const int sig = pending_signal(); sig != 0) throw Interrupted(sig);
}

}  // namespace ts::run
