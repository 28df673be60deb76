#include "run/job_support.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "io/ensemble_parts.hpp"
#include "io/output_schema.hpp"
#include "io/sha256.hpp"

namespace ts::run {

namespace {

std::string utc_now_iso() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

JobClock::JobClock() : start_time_utc(utc_now_iso()) {}

double JobClock::seconds() const {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void report_warnings(const std::vector<Diagnostic>& warnings, const Feedback& feedback) {
    for (const auto& w : warnings) feedback.message(w.format());
}

io::EnsemblePlan plan_of(io::EnsemblePlan::Kind kind, const model::Scenario& s, int runs) {
    io::EnsemblePlan plan;
    plan.kind = kind;
    plan.scenario_name = s.name;
    plan.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
    plan.seed = s.seed;
    plan.observed = io::observed_record(s.time);
    plan.runs = runs;
    return plan;
}

void write_datapackage_of(const io::EnsemblePlan& plan, const std::filesystem::path& dir) {
    if (plan.kind == io::EnsemblePlan::Kind::run) {
        io::write_datapackage(
            dir, {plan.scenario_name, true, plan.detail == io::RunWriterOptions::Detail::buyer});
        return;
    }
    const auto leading = io::sweep_leading_columns(plan);
    const auto files = io::sweep_files(leading);
    io::write_datapackage(dir, {plan.scenario_name, false, true, &files});
}

io::Manifest ensemble_manifest(const io::EnsemblePlan& plan, int threads, const JobClock& clock,
                               const std::vector<std::string>& command_line) {
    io::Manifest m;
    m.scenario_name = plan.scenario_name;
    m.scenario_sha256 = plan.scenario_sha256;
    m.start_time_utc = clock.start_time_utc;
    m.status = "complete";
    m.seed = plan.seed;
    m.observed = plan.observed;
    m.random_parts = plan.random_parts;
    m.runs = plan.runs;
    m.threads = threads;
    m.command_line = command_line;
    m.wall_seconds = clock.seconds();
    return m;
}

}  // namespace ts::run
