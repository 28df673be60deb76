#include "io/ensemble_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "io/manifest.hpp"

namespace ts::io {

namespace fs = std::filesystem;

namespace {

constexpr int kPlanFormat = 1;

void append_strings(std::string& out, const std::vector<std::string>& items) {
    out.push_back('[');
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out.append(", ");
        out.append(json_string(items[i]));  // a JSON string is a YAML double-quoted scalar
    }
    out.push_back(']');
}

[[noreturn]] void bad_plan(const fs::path& path, const std::string& why) {
    throw RunError(fmt::format("'{}' is not a tradesim plan: {}", path.string(), why));
}

}  // namespace

std::string EnsemblePlan::part_name(std::size_t task) const {
    if (kind == Kind::run) return fmt::format("run-{:06}", task);
    return fmt::format("v{:06}-run-{:06}", variant_of(task), run_of(task));
}

const char* to_string(EnsemblePlan::Kind k) {
    return k == EnsemblePlan::Kind::run ? "run" : "sweep";
}

std::string exact_number(double v) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{}", v);
}

double parse_exact_number(std::string_view text) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        throw RunError(fmt::format("'{}' is not a number", text));
    return v;
}

std::string plan_yaml(const EnsemblePlan& p) {
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "# tradesim ensemble plan: the job the parts in this folder belong to.\n");
    fmt::format_to(it,
                   "# Written by the shards of `tradesim run|sweep --shard I/N`; read by `tradesim "
                   "reduce`.\n");
    fmt::format_to(it,
                   "format: {}\nkind: {}\nscenario: {}\nscenario_sha256: {}\nseed: {}\nruns: {}\n",
                   kPlanFormat, to_string(p.kind), json_string(p.scenario_name),
                   json_string(p.scenario_sha256), p.seed, p.runs);
    if (p.observed) {
        fmt::format_to(it, "observed_until: {}\n", json_string(p.observed->until));
        if (p.observed->projection_from)
            fmt::format_to(it, "projection_from: {}\n", json_string(*p.observed->projection_from));
    }
    if (p.random_parts) fmt::format_to(it, "random_parts: {}\n", json_string(*p.random_parts));
    if (p.kind == EnsemblePlan::Kind::run) {
        fmt::format_to(it, "detail: {}\n", to_string(p.detail));
        return out;
    }
    fmt::format_to(it, "design: {}\nparameters: ", json_string(analysis::to_string(p.design)));
    append_strings(out, p.parameters);
    const bool sobol = p.design.kind == analysis::DesignKind::sobol;
    if (sobol) {
        out.append("\nsobol_metrics: ");
        append_strings(out, p.sobol_metrics);
        fmt::format_to(it, "\nbootstrap: {}", p.bootstrap);
    }
    out.append("\nmetrics:\n");
    for (const auto& m : p.metrics) {
        out.append("  - ");
        append_strings(out, {m.scope, m.key, m.metric});
        out.push_back('\n');
    }
    out.append("variants:\n");
    for (const auto& v : p.variants) {
        out.append("  - {values: ");
        append_strings(out, v.values);
        out.append(", unit: [");
        for (std::size_t i = 0; i < v.unit.size(); ++i) {
            if (i) out.append(", ");
            out.append(exact_number(v.unit[i]));
        }
        fmt::format_to(it, "], trajectory: {}, point: {}, moved: {}", v.trajectory, v.point,
                       v.moved);
        if (sobol) fmt::format_to(it, ", block: {}, row: {}", v.block, v.row);
        out.append("}\n");
    }
    return out;
}

EnsemblePlan read_plan(const fs::path& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path.string());
    } catch (const YAML::Exception& e) {
        bad_plan(path, e.what());
    }
    EnsemblePlan p;
    try {
        if (!root.IsMap() || root["format"].as<int>() != kPlanFormat)
            bad_plan(path, "unknown format");
        const auto kind = root["kind"].as<std::string>();
        if (kind == "run")
            p.kind = EnsemblePlan::Kind::run;
        else if (kind == "sweep")
            p.kind = EnsemblePlan::Kind::sweep;
        else
            bad_plan(path, "kind must be run or sweep");
        p.scenario_name = root["scenario"].as<std::string>();
        p.scenario_sha256 = root["scenario_sha256"].as<std::string>();
        p.seed = root["seed"].as<std::uint64_t>();
        p.runs = root["runs"].as<int>();
        if (p.runs < 1) bad_plan(path, "runs must be >= 1");
        if (const auto until = root["observed_until"]) {
            p.observed.emplace();
            p.observed->until = until.as<std::string>();
            if (const auto from = root["projection_from"])
                p.observed->projection_from = from.as<std::string>();
        }
        if (const auto parts = root["random_parts"]) p.random_parts = parts.as<std::string>();
        if (p.kind == EnsemblePlan::Kind::run) {
            const auto d = parse_flows_detail(root["detail"].as<std::string>());
            if (!d) bad_plan(path, "unknown detail");
            p.detail = *d;
            return p;
        }
        p.design = analysis::parse_design(root["design"].as<std::string>());
        p.parameters = root["parameters"].as<std::vector<std::string>>();
        const bool sobol = p.design.kind == analysis::DesignKind::sobol;
        if (sobol) {
            p.sobol_metrics = root["sobol_metrics"].as<std::vector<std::string>>();
            p.bootstrap = root["bootstrap"].as<int>();
            if (p.bootstrap < 1) bad_plan(path, "bootstrap must be >= 1");
        }
        for (const auto& m : root["metrics"]) {
            const auto parts = m.as<std::vector<std::string>>();
            if (parts.size() != 3) bad_plan(path, "a metric must be [scope, key, metric]");
            p.metrics.push_back({parts[0], parts[1], parts[2]});
        }
        for (const auto& v : root["variants"]) {
            analysis::Variant var;
            var.values = v["values"].as<std::vector<std::string>>();
            for (const auto& u : v["unit"])
                var.unit.push_back(parse_exact_number(u.as<std::string>()));
            var.trajectory = v["trajectory"].as<int>();
            var.point = v["point"].as<int>();
            var.moved = v["moved"].as<int>();
            if (sobol) {
                var.block = v["block"].as<int>();
                var.row = v["row"].as<int>();
            }
            if (var.values.size() != p.parameters.size() || var.unit.size() != p.parameters.size())
                bad_plan(path, "a variant has the wrong number of values");
            p.variants.push_back(std::move(var));
        }
        if (p.variants.empty()) bad_plan(path, "no variants");
        for (const auto& name : p.sobol_metrics)
            if (std::none_of(p.metrics.begin(), p.metrics.end(),
                             [&](const auto& m) { return m.column() == name; }))
                bad_plan(path, fmt::format("sobol metric '{}' is not one of its metrics", name));
    } catch (const YAML::Exception& e) {
        bad_plan(path, e.what());
    } catch (const InputError& e) {
        bad_plan(path, e.what());
    }
    return p;
}

}  // namespace ts::io
