#include "ui/format.h"

#include <fmt/format.h>

#include <ctime>

#include "core/text.h"
#include "filter/fields.h"

namespace rustnet::ui {

std::string formatRate(double bps) {
  if (!(bps > 0)) return "0B/s";
  static constexpr const char* kUnits[] = {"B", "K", "M", "G", "T", "P", "E"};  // 2^64 is 18.4E
  std::size_t u = 0;
  while (bps >= 999.95 && u + 1 < std::size(kUnits)) {
    bps /= 1000.0;
    ++u;
  }
  if (u == 0) return fmt::format("{:.0f}B/s", bps);
  if (bps >= 99.95) return fmt::format("{:.0f}{}/s", bps, kUnits[u]);
  return fmt::format("{:.1f}{}/s", bps, kUnits[u]);
}

std::string formatTotal(std::uint64_t bytes) {
  // The rate's text without "/s": the same digits and units, so the columns read alike.
  std::string text = formatRate(static_cast<double>(bytes));
  text.resize(text.size() - 2);
  return text;
}

std::string formatCount(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string formatBytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < std::size(kUnits)) {
    v /= 1024.0;
    ++u;
  }
  if (u == 0) return fmt::format("{} B", bytes);
  return fmt::format("{:.1f} {} ({})", v, kUnits[u], formatCount(bytes));
}

std::string formatDuration(core::Duration d) {
  std::int64_t ms = d.ns / 1'000'000;
  if (ms < 0) ms = 0;
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  const std::int64_t s = ms / 1000;
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  if (s < 86'400) return fmt::format("{}h {:02}m", s / 3600, (s / 60) % 60);
  return fmt::format("{}d {:02}h", s / 86'400, (s / 3600) % 24);
}

std::string formatRtt(std::int64_t ns) {
  const double ms = static_cast<double>(ns) / 1e6;
  if (ms < 9.95) return fmt::format("{:.1f}ms", ms);
  if (ms < 999.5) return fmt::format("{:.0f}ms", ms);
  const double sec = ms / 1000;
  if (sec < 9.95) return fmt::format("{:.1f}s", sec);
  return sec < 9999.5 ? fmt::format("{:.0f}s", sec) : std::string(">1h");
}

std::string formatTime(core::Timestamp t) {
  if (t.isZero()) return "-";
  const std::time_t secs = static_cast<std::time_t>(t.ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (t.ns / 1'000'000) % 1000);
}

std::string_view displayState(const engine::ConnectionRecord& r) {
  // An ended row (ui::ConnectionStore marks it Closed) shows how it ended, whatever the
  // application was doing last.
  if (r.dpi && r.dpi->state() != nullptr && r.state != track::State::Closed &&
      (r.proto != core::proto::kTcp || r.state == track::State::Established)) {
    return dpi::appStateName(r.dpi->state());
  }
  return r.stateLabel;
}

std::string appText(const engine::ConnectionRecord& r) {
  if (!r.dpi) return "-";
  std::string s = r.dpi->summary();
  return s.empty() ? "-" : s;
}

std::string processText(const engine::ConnectionRecord& r) {
  if (!r.process) return "-";
  if (r.process->name.empty()) return fmt::format("({})", r.process->pid);
  return fmt::format("{} ({})", core::escapeControl(r.process->name), r.process->pid);
}

std::string serviceText(const engine::ConnectionRecord& r, bool showPorts) {
  if (!filter::hasPorts(r.proto)) return "-";
  if (!showPorts && !r.service.empty()) return std::string(r.service);
  return std::to_string(filter::servicePort(r));
}

}  // namespace rustnet::ui
