#include "output/events.h"

#include <fmt/format.h>

#include "core/flow_key.h"
#include "output/dpi_json.h"
#include "output/json_line.h"

namespace rustnet::output {

namespace {
bool hasPorts(std::uint8_t proto) { return proto == core::proto::kTcp || proto == core::proto::kUdp; }
bool isIcmp(std::uint8_t proto) { return proto == core::proto::kIcmp || proto == core::proto::kIcmpv6; }

std::string_view eventName(engine::ConnectionEvent::Kind k) {
  return k == engine::ConnectionEvent::Kind::New ? "new_connection" : "connection_closed";
}
}  // namespace

void appendEvent(std::string& out, const engine::ConnectionEvent& e) {
  const engine::ConnectionRecord& r = e.record;
  JsonLine j(out);
  j.time("timestamp", e.when)
      .str("event", eventName(e.kind))
      .num("connection_id", r.id)
      .str("protocol", core::protoName(r.proto))
      .ip("source_ip", r.local.addr);
  if (hasPorts(r.proto)) j.num("source_port", std::uint64_t{r.local.port});
  j.ip("destination_ip", r.remote.addr);
  if (hasPorts(r.proto)) j.num("destination_port", std::uint64_t{r.remote.port});
  if (isIcmp(r.proto) && r.local.port != 0) j.num("icmp_id", std::uint64_t{r.local.port});
  j.str("state", std::string_view(r.stateLabel));
  if (!r.service.empty()) {
    j.str("service_name", r.service);
  } else {
    j.null("service_name");
  }
  if (r.process) {
    j.num("pid", static_cast<std::int64_t>(r.process->pid)).wire("process_name", r.process->name);
    if (!r.process->executable.empty()) j.wire("process_executable", r.process->executable);
    if (r.process->uid >= 0) j.num("process_uid", r.process->uid);
    j.str("process_match", r.process->match);
  } else if (r.proto == core::proto::kTcp || r.proto == core::proto::kUdp) {
    j.null("pid").null("process_name");
  }
  if (r.dpi) appendDpiFields(j, *r.dpi);
  if (e.kind == engine::ConnectionEvent::Kind::Closed) {
    j.str("end_reason", track::endReasonName(e.reason))
        .num("bytes_sent", r.sent.bytes)
        .num("bytes_received", r.received.bytes)
        .num("packets_sent", r.sent.packets)
        .num("packets_received", r.received.packets)
        .num("duration_secs", (r.lastSeen - r.firstSeen).secondsF())
        .time("first_seen", r.firstSeen)
        .time("last_seen", r.lastSeen);
    if (r.proto == core::proto::kTcp) {
      j.num("tcp_retransmissions", std::uint64_t{r.retransmissions});
      if (r.handshakeRttNs > 0) j.num("tcp_handshake_rtt_ms", static_cast<double>(r.handshakeRttNs) / 1e6);
    }
  }
  j.end();
}

std::string formatEvent(const engine::ConnectionEvent& e) {
  std::string out;
  out.reserve(512);
  appendEvent(out, e);
  return out;
}

std::string formatSummary(const engine::EngineStats& s, const RunInfo& run) {
  JsonLine j;
  j.time("timestamp", run.ended)
      .str("event", "summary")
      .str(run.live ? JsonKey("interface") : JsonKey("file"), run.source)
      .num("elapsed_secs", (run.finished - run.started).secondsF())
      .num("packets_seen", s.capture.seen)
      .num("bytes_seen", s.decode.bytes)
      .num("packets_decoded", s.decode.ok)
      .num("packets_malformed", s.decode.malformed)
      .num("packets_fragments", s.decode.fragments)
      .num("packets_not_ip", s.decode.notIp)
      .num("packets_unsupported_link", s.decode.unsupported)
      .num("packets_dropped_kernel", s.capture.kernelDropped)
      .num("packets_dropped_interface", s.capture.ifaceDropped)
      .num("packets_dropped_ours", s.capture.ourDropped + s.capture.oversize)
      .num("packets_ignored_loopback", s.tracker.ignoredLoopback)
      .num("connections_created", s.tracker.created)
      .num("connections_closed", s.tracker.closed)
      .num("connections_expired", s.tracker.expired)
      .num("connections_evicted", s.tracker.evicted)
      .num("connections_forced_end", s.tracker.forcedEnd)
      .num("connections_reused", s.tracker.tcpReused)
      .num("tcp_retransmissions", s.tracker.retransmissions);
  appendDpiCounters(j, s.dpi);
  j.str("process_method", run.processMethod);
  if (!run.processFallback.empty()) j.str("process_fallback_reason", run.processFallback);
  if (run.process) {
    const process::Counters& p = *run.process;
    std::uint64_t hits = 0;
    for (std::size_t k = 0; k < p.hits.size(); ++k) {
      const auto kind = static_cast<process::MatchKind>(k);
      if (kind == process::MatchKind::None || kind == process::MatchKind::Ambiguous) continue;
      hits += p.hits[k];
      j.num(JsonKey(fmt::format("process_hits_{}", process::matchKindName(kind))), p.hits[k]);
    }
    j.num("process_lookups", p.lookups)
        .num("process_hits", hits)
        .num("process_misses", p.misses)
        .num("process_ambiguous", p.ambiguous)
        .num("process_requests_dropped", p.requestsDropped)
        .num("process_refreshes", p.refreshes)
        .num("process_scan_ms_total", static_cast<double>(p.totalScanNs) / 1e6)
        .num("process_scan_ms_max", static_cast<double>(p.maxScanNs) / 1e6);
  }
  if (run.connectionsFilteredOut) j.num("connections_filtered_out", *run.connectionsFilteredOut);
  if (run.outputEventsDropped != 0) j.num("output_events_dropped", run.outputEventsDropped);
  if (!run.outputFailed.empty()) j.str("output_failed", run.outputFailed);
  if (!run.error.empty()) j.str("source_error", run.error);
  return j.finish();
}

}  // namespace rustnet::output
