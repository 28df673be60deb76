#include "io/manifest.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/version.hpp"
#include "io/csv.hpp"
#include "io/observed.hpp"
#include "io/output_dir.hpp"
#include "model/scenario.hpp"

namespace ts::io {

namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (overlong
/// forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return len;
}

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            const std::size_t len = utf8_sequence_length(s, i);
            if (len == 0) {
                out.append("\\ufffd");
                ++i;
            } else {
                out.append(s.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                if (u < 0x20)
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(u));
                else
                    out.push_back(c);
        }
        ++i;
    }
    out.push_back('"');
}

}  // namespace

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

std::string format_utc(std::int64_t unix_seconds) {
    std::int64_t days = unix_seconds / 86400;
    std::int64_t rest = unix_seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(civil_from_days(days)), rest / 3600,
                       rest / 60 % 60, rest % 60);
}

std::optional<Manifest::Observed> observed_record(const model::TimeSpec& time) {
    const std::optional<ObservedSpan> span = observed_span(time);
    if (!span) return std::nullopt;
    Manifest::Observed out;
    out.until = span->month_text();
    if (span->has_projection())
        out.projection_from = format_date(time.calendar().date_of(span->first_projected));
    return out;
}

std::string manifest_json(const Manifest& m) {
    std::string out;
    const auto key = [&out](std::string_view name) {
        out.append("  ");
        append_json_string(out, name);
        out.append(": ");
    };
    const auto string_field = [&](std::string_view name, std::string_view value) {
        key(name);
        append_json_string(out, value);
        out.append(",\n");
    };
    out.append("{\n");
    string_field("tool", "tradesim");
    string_field("version", kVersion);
    string_field("git_describe", kGitDescribe);
    string_field("scenario_name", m.scenario_name);
    string_field("scenario_sha256", m.scenario_sha256);
    string_field("status", m.status);
    if (m.observed) {
        string_field("observed_until", m.observed->until);
        if (m.observed->projection_from)
            string_field("projection_from", *m.observed->projection_from);
    }
    key("seed");
    fmt::format_to(std::back_inserter(out), "{},\n", m.seed);
    key("runs");
    fmt::format_to(std::back_inserter(out), "{},\n", m.runs);
    key("threads");
    fmt::format_to(std::back_inserter(out), "{},\n", m.threads);
    if (m.random_parts) string_field("random_parts", *m.random_parts);
    string_field("start_time_utc", m.start_time_utc);
    key("wall_seconds");
    // JSON has no inf/nan: a broken clock reading is written as 0.
    append_fixed(out, std::isfinite(m.wall_seconds) ? m.wall_seconds : 0.0, 3);
    out.append(",\n");
    if (m.engine) {
        const auto& e = *m.engine;
        key("engine");
        fmt::format_to(std::back_inserter(out),
                       "{{\"ticks\": {}, \"evaluations\": {}, \"route_checks\": {}, "
                       "\"requests\": {}, \"bytes\": {}, \"loop_seconds\": ",
                       e.ticks, e.evaluations, e.route_checks, e.requests, e.bytes);
        append_fixed(out, std::isfinite(e.loop_seconds) ? e.loop_seconds : 0.0, 6);
        out.append(", \"phase_seconds\": {");
        for (std::size_t i = 0; i < e.phase_seconds.size(); ++i) {
            const auto& [phase, seconds] = e.phase_seconds[i];
            if (i > 0) out.append(", ");
            append_json_string(out, phase);
            out.append(": ");
            append_fixed(out, std::isfinite(seconds) ? seconds : 0.0, 6);
        }
        out.append("}");
        if (!e.phase_bytes.empty()) {
            out.append(", \"phase_bytes\": {");
            for (std::size_t i = 0; i < e.phase_bytes.size(); ++i) {
                const auto& [phase, bytes] = e.phase_bytes[i];
                if (i > 0) out.append(", ");
                append_json_string(out, phase);
                fmt::format_to(std::back_inserter(out), ": {}", bytes);
            }
            out.append("}");
        }
        out.append("},\n");
    }
    if (m.calibration) {
        const auto& c = *m.calibration;
        const auto finite = [](double v) { return std::isfinite(v) ? v : 0.0; };
        key("calibration");
        out.append("{\"method\": ");
        append_json_string(out, c.method);
        fmt::format_to(std::back_inserter(out),
                       ", \"budget\": {}, \"starts\": {}, \"evaluations\": {}, "
                       "\"identify_evaluations\": {}, \"evaluations_per_second\": ",
                       c.budget, c.starts, c.evaluations, c.identify_evaluations);
        append_fixed(out, finite(c.evaluations_per_second), 3);
        fmt::format_to(std::back_inserter(out),
                       ", \"objective_before\": {:.17g}, \"objective_after\": {:.17g}}},\n",
                       finite(c.objective_before), finite(c.objective_after));
    }
    key("command_line");
    if (m.command_line.empty()) {
        out.append("[]\n");
    } else {
        out.append("[\n");
        for (std::size_t i = 0; i < m.command_line.size(); ++i) {
            out.append("    ");
            append_json_string(out, m.command_line[i]);
            out.append(i + 1 < m.command_line.size() ? ",\n" : "\n");
        }
        out.append("  ]\n");
    }
    out.append("}\n");
    return out;
}

void write_text_file(const std::filesystem::path& path, std::string_view text, bool sync) {
    AtomicFile file(path, sync);
    file.write(text);
    file.commit();
}

}  // namespace ts::io
