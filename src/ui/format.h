#pragma once
// Text for figures and fields as the screens show them. Anything that may hold bytes from
// the wire or from other users' processes comes out escaped.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "engine/record.h"

namespace rustnet::ui {

// "0B/s", "512B/s", "12.3K/s", "999K/s", "1.2M/s": at most 7 columns.
std::string formatRate(double bytesPerSecond);
// "0B", "512B", "12.3K", "999K", "1.2M": a byte count in at most 5 columns (powers of 1000,
// as the rates).
std::string formatTotal(std::uint64_t bytes);
// "0 B", "1.5 KiB", "12.0 MiB" and the exact count: "1,234,567".
std::string formatBytes(std::uint64_t bytes);
std::string formatCount(std::uint64_t n);
// "850ms", "12.5s", "3m 12s", "2h 05m", "3d 04h".
std::string formatDuration(core::Duration d);
// A round trip: "0.4ms", "9.9ms", "85ms", "850ms", "1.2s": at most 5 columns.
std::string formatRtt(std::int64_t ns);
// "2024-05-01 12:00:00.123 UTC".
std::string formatTime(core::Timestamp t);

// The state to show: the application's (QUIC_CONNECTED, DNS_QUERY, BANNER...) while the
// transport is plainly up, else the transport's (SYN_SENT, TIME_WAIT, UDP_IDLE...); for a
// row that has ended, how it ended (CLOSED, TIMED_OUT, EVICTED: see ui::endedStateLabel).
std::string_view displayState(const engine::ConnectionRecord& r);
// "HTTPS (github.com)", or "-" when DPI found nothing (escaped).
std::string appText(const engine::ConnectionRecord& r);
// "firefox (4242)", or "-" when unknown (escaped: process names are chosen by users).
std::string processText(const engine::ConnectionRecord& r);
// The service name, or the service port (also when the name is unknown); "-" without ports.
std::string serviceText(const engine::ConnectionRecord& r, bool showPorts);

}  // namespace rustnet::ui
