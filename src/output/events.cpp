#include "output/events.h"

#include <fmt/format.h>

#include "core/flow_key.h"
#include "output/counters_json.h"
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
  if (!r.tunnel.empty()) j.str("tunnel", r.tunnel);
  if (r.process) {
    j.num("pid", static_cast<std::int64_t>(r.process->pid)).wire("process_name", r.process->name);
    if (!r.process->executable.empty()) j.wire("process_executable", r.process->executable);
    if (r.process->uid >= 0) j.num("process_uid", r.process->uid);
    j.str("process_match", r.process->match);
  } else if (r.proto == core::proto::kTcp || r.proto == core::proto::kUdp) {
    j.null("pid").null("process_name");
  }
  if (r.nflog) {
    if (!r.nflog->prefix.empty()) j.wire("nflog_prefix", r.nflog->prefix);
    if (r.nflog->uid >= 0) j.num("uid", r.nflog->uid);
    if (r.nflog->gid >= 0) j.num("gid", r.nflog->gid);
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
      .num("elapsed_secs", (run.finished - run.started).secondsF());
  // packets_seen, then what decoding made of the frames, then the drops (the order the
  // summary line has always had).
  const core::CounterTable<engine::CaptureCounters> capture(engine::kCaptureCounters);
  appendCounters(j, s.capture, capture.first(1));
  appendCounters(j, s.decode, engine::kDecodeCounters);
  appendCounters(j, s.capture, capture.subspan(1));
  appendCounters(j, s.tracker, track::kTrackerCounters);
  appendCounters(j, s.dpi, dpi::kCounters);
  appendCounters(j, s, engine::kEngineCounters);
  j.str("process_method", run.processMethod);
  if (!run.processFallback.empty()) j.str("process_fallback_reason", run.processFallback);
  if (run.process) appendCounters(j, *run.process, process::kCounters);
  if (run.connectionsFilteredOut) j.num("connections_filtered_out", *run.connectionsFilteredOut);
  if (run.outputEventsDropped != 0) j.num("output_events_dropped", run.outputEventsDropped);
  if (!run.outputFailed.empty()) j.str("output_failed", run.outputFailed);
  if (!run.error.empty()) j.str("source_error", run.error);
  return j.finish();
}

}  // namespace rustnet::output
