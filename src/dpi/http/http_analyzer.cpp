#include "dpi/http/http_analyzer.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "core/text.h"
#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/http/http_facts.h"
#include "dpi/stream.h"

namespace rustnet::dpi::http {
namespace {

constexpr std::uint16_t kSsdpPort = 1900;

// Request methods that start a message head (RFC 9110, WebDAV, and the SSDP/GENA ones).
constexpr std::array<std::string_view, 22> kMethods = {
    "GET",     "POST",     "HEAD",      "PUT",    "DELETE", "OPTIONS",   "CONNECT", "TRACE",
    "PATCH",   "PROPFIND", "PROPPATCH", "MKCOL",  "COPY",   "MOVE",      "LOCK",    "UNLOCK",
    "REPORT",  "SEARCH",   "M-SEARCH",  "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE",
};
constexpr std::string_view kVersionPrefix = "HTTP/1.";
constexpr std::size_t kLongestSignature = 12;  // "UNSUBSCRIBE "

enum class Start : std::uint8_t { None, Request, Response };

std::string_view asText(core::Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

Start classify(std::string_view s) {
  if (s.starts_with(kVersionPrefix)) return Start::Response;
  for (std::string_view m : kMethods) {
    if (s.size() > m.size() && s.starts_with(m) && s[m.size()] == ' ') return Start::Request;
  }
  return Start::None;
}

// A head start cut short: a proper prefix of "HTTP/1." or of a method and its space.
bool couldStartHead(std::string_view s) {
  if (s.empty()) return false;
  if (kVersionPrefix.starts_with(s)) return true;
  for (std::string_view m : kMethods) {
    if (s.size() <= m.size() && m.starts_with(s)) return true;
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "http://host:port/path" → "host:port"; CONNECT's "host:port" is already an authority.
std::string_view authorityOf(std::string_view target) {
  const auto scheme = target.find("://");
  if (scheme == std::string_view::npos || scheme > 8) return {};
  target.remove_prefix(scheme + 3);
  const auto end = target.find_first_of("/?#");
  auto auth = target.substr(0, end);
  if (const auto at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
  return auth;
}

void setOnce(std::string& field, std::string_view value) {
  if (field.empty() && !value.empty()) field = core::capWireString(value);
}

class HttpAnalyzer final : public Analyzer {
public:
  explicit HttpAnalyzer(const FlowInfo& flow)
      : udp_(flow.transport == Transport::Udp),
        proto_(udp_ ? &kSsdp : &kHttp) {}

  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  enum class Phase : std::uint8_t { Sync, Head, Done };
  struct Side {
    StreamOrder order;
    std::string partial;  // an incomplete header line carried to the next segment
    std::size_t headBytes = 0;
    Phase phase = Phase::Sync;
    bool firstLine = true;
    bool request = false;
  };

  // Returns false when the start line is not HTTP.
  bool startLine(std::string_view line, Side& side, Context& ctx);
  void headerLine(std::string_view line, Context& ctx);
  void endHead(Side& side);
  // Consumes bytes of a head; returns false when the start line turned out not to be HTTP.
  bool consume(std::string_view data, Side& side, Context& ctx);
  [[nodiscard]] Verdict progress() const;

  Side sides_[2];
  bool udp_;
  AppProto proto_;
  bool requestHeadDone_ = false;  // the request's header lines were all read (or capped)
  bool responseSeen_ = false;
  bool connect_ = false;
  bool hostFromHeader_ = false;
  bool failed_ = false;
  std::uint16_t status_ = 0;
};

bool HttpAnalyzer::startLine(std::string_view line, Side& side, Context& ctx) {
  if (side.request) {
    // METHOD SP request-target SP HTTP/1.x
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 <= sp1 + 1 ||
        !line.substr(sp2 + 1).starts_with(kVersionPrefix)) {
      return false;
    }
    const auto method = line.substr(0, sp1);
    const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (!ctx.facts.setProto(proto_)) return true;  // another protocol owns the facts
    auto& h = ctx.facts.get<HttpFacts>();
    if (!h.method.empty()) return true;  // keep the first request's facts
    h.method = core::capWireString(method);
    h.path = core::capWireString(target);
    connect_ = method == "CONNECT";
    if (!hostFromHeader_) setOnce(h.host, connect_ ? target : authorityOf(target));
    return true;
  }
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (line.size() < 12 || line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) return false;
  std::uint16_t code = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
    code = static_cast<std::uint16_t>(code * 10 + (line[i] - '0'));
  }
  if (!ctx.facts.setProto(proto_)) return true;
  status_ = code;
  // 1xx responses are interim: the final status follows in another head.
  if (code >= 200) {
    responseSeen_ = true;
    auto& h = ctx.facts.get<HttpFacts>();
    if (h.status == 0) h.status = code;
  }
  return true;
}

void HttpAnalyzer::headerLine(std::string_view line, Context& ctx) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const auto name = line.substr(0, colon);
  const auto value = trimOws(line.substr(colon + 1));
  if (ctx.facts.proto() != proto_) return;
  if (iequals(name, "host")) {
    auto& h = ctx.facts.get<HttpFacts>();
    if (!hostFromHeader_ && !value.empty()) {
      h.host = core::capWireString(value);
      hostFromHeader_ = true;
    }
  } else if (iequals(name, "user-agent")) {
    setOnce(ctx.facts.get<HttpFacts>().userAgent, value);
  }
}

void HttpAnalyzer::endHead(Side& side) {
  if (side.request) requestHeadDone_ = true;
  side.partial.clear();
  side.partial.shrink_to_fit();
  // An interim response (100 Continue) is followed by the final one: look for it.
  side.phase = (!side.request && status_ < 200) ? Phase::Sync : Phase::Done;
  side.firstLine = true;
  side.headBytes = 0;
}

bool HttpAnalyzer::consume(std::string_view data, Side& side, Context& ctx) {
  while (!data.empty() && side.phase == Phase::Head) {
    const auto nl = data.find('\n');
    const std::size_t take = nl == std::string_view::npos ? data.size() : nl + 1;
    if (side.headBytes + take > kMaxHttpHeaderBytes) {
      // Keep what the complete lines gave; the rest of this head is not read.
      ctx.counters.capHit(Cap::HttpHeaderBytes);
      side.phase = Phase::Done;
      if (side.request) requestHeadDone_ = true;
      side.partial.clear();
      side.partial.shrink_to_fit();
      return !side.firstLine || ctx.facts.proto() == proto_;
    }
    side.headBytes += take;
    if (nl == std::string_view::npos) {
      side.partial.append(data);
      return true;
    }
    std::string_view line = data.substr(0, nl);
    if (!side.partial.empty()) {
      side.partial.append(line);
      line = side.partial;
    }
    if (line.ends_with('\r')) line.remove_suffix(1);
    data.remove_prefix(nl + 1);
    if (side.firstLine) {
      side.firstLine = false;
      if (!startLine(line, side, ctx)) return false;
    } else if (line.empty()) {
      endHead(side);
    } else {
      headerLine(line, ctx);
    }
    side.partial.clear();
  }
  return true;
}

Verdict HttpAnalyzer::progress() const {
  if (failed_) return Verdict::Malformed;
  // SSDP: one message per datagram, and often no answer on the same flow.
  if (udp_) return requestHeadDone_ || responseSeen_ ? Verdict::Done : Verdict::NeedMore;
  if (!requestHeadDone_ || !responseSeen_) return Verdict::NeedMore;
  // For a CONNECT answered with 2xx, what follows is the tunnelled protocol.
  if (connect_ && status_ >= 200 && status_ < 300) return Verdict::Tunnel;
  return Verdict::Done;
}

Verdict HttpAnalyzer::feed(const Segment& seg, Context& ctx) {
  Side& side = sides_[static_cast<std::size_t>(seg.dir)];
  core::Bytes bytes = seg.data;
  if (udp_) {
    // Each datagram is a whole message.
    side = Side{};
  } else {
    const auto acc = side.order.accept(seg.tcpSeq, bytes);
    if (acc.gap && side.phase == Phase::Head) {
      side.partial.clear();
      side.phase = Phase::Sync;  // lost part of the head: wait for the next one
    }
    bytes = acc.data;
  }
  if (side.phase == Phase::Done || bytes.empty()) return progress();

  std::string_view data = asText(bytes);
  std::string held;  // the start of a head cut after a few bytes, from an earlier segment
  if (side.phase == Phase::Sync) {
    // Heads are looked for only at segment starts: cheap, and how they nearly always arrive.
    std::string_view start = data;
    std::size_t heldLen = 0;
    if (!side.partial.empty()) {
      held = std::move(side.partial);
      side.partial.clear();
      heldLen = held.size();
      held.append(data.substr(0, kLongestSignature));
      start = held;
    }
    const Start kind = classify(start);
    if (kind == Start::None) {
      if (start.size() < kLongestSignature && couldStartHead(start)) {
        side.partial.assign(start);
        return progress();
      }
      return ctx.facts.proto() == proto_ ? progress() : Verdict::NotMine;
    }
    side.phase = Phase::Head;
    side.firstLine = true;
    side.request = kind == Start::Request;
    side.headBytes = 0;
    held.resize(heldLen);
  }
  bool ok = consume(held, side, ctx) && consume(data, side, ctx);
  if (ok && udp_ && side.phase == Phase::Head) {
    // The datagram ended the message: a last line without its line break still counts.
    ok = side.partial.empty() || consume("\n", side, ctx);
    if (side.phase == Phase::Head) endHead(side);
  }
  if (!ok) {
    if (ctx.facts.proto() != proto_) return Verdict::NotMine;
    failed_ = true;
  }
  return progress();
}

Confidence probe(const FlowInfo& flow, const Segment& seg) {
  if (flow.transport == Transport::Udp && !flow.eitherPort(kSsdpPort)) return Confidence::None;
  return classify(asText(seg.data)) == Start::None ? Confidence::None : Confidence::Content;
}

std::unique_ptr<Analyzer> create(const FlowInfo& flow) {
  return std::make_unique<HttpAnalyzer>(flow);
}

constexpr std::array<AppProto, 1> kHttpProtocols{&kHttp};
constexpr std::array<AppProto, 1> kSsdpProtocols{&kSsdp};
constexpr std::array<const FactsKind*, 1> kKinds{&HttpFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"http", transports::kTcp, kHttpProtocols, kKinds, &probe, &create};
// The same analyzer over UDP: SSDP discovery on port 1900.
const AnalyzerEntry kSsdpEntry{"ssdp", transports::kUdp, kSsdpProtocols, kKinds, &probe, &create};

}  // namespace rustnet::dpi::http
