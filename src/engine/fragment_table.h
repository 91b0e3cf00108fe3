#pragma once
// Credits IP fragments to the connection their first fragment opened. Later fragments carry
// no ports, so the tracker cannot key them and the shard hash would send them to another
// worker; this table, on the capture thread before sharding, remembers each fragmented
// datagram's first fragment by (src, dst, proto, IP id) and gives its later fragments the
// same ports (and ICMP identity). Fixed size, no allocation after construction, every cap
// named and counted; see docs/architecture.md ("Fragments").
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/ip_addr.h"
#include "core/time.h"
#include "decode/packet.h"

namespace rustnet::engine {

// Datagrams followed at once (open addressing, kFragmentProbe slots looked at per key).
inline constexpr std::size_t kFragmentSlots = 1024;
inline constexpr std::size_t kFragmentProbe = 8;
// Later fragments seen before their first fragment, waiting for it.
inline constexpr std::size_t kFragmentPending = 64;
// A tiny first fragment's transport header is gathered from the fragments up to this many
// bytes (the ports need 4, ICMP's echo identity 8).
inline constexpr std::uint32_t kFragmentHeadBytes = 16;
// Linux's default ipfrag_time: a datagram not finished by then is given up.
inline constexpr core::Duration kFragmentTimeout = core::Duration::seconds(30);

struct FragmentCounters {
  std::uint64_t first = 0;        // first fragments (with ports, or tiny)
  std::uint64_t credited = 0;     // later fragments given their first fragment's ports
  std::uint64_t unmatched = 0;    // later fragments that never met their first fragment
  std::uint64_t tableFull = 0;    // first fragments not followed: no free slot
  std::uint64_t reassembled = 0;  // tiny first fragments whose ports were gathered
};

class FragmentTable {
public:
  // A record the table makes for a frame that was already handed on: Ok opens the
  // connection of a tiny first fragment once its ports are known; Fragment credits a
  // fragment held while its first fragment had not come. view.fragLate is set.
  struct Late {
    decode::Status status = decode::Status::Fragment;
    decode::PacketView view;
  };

  FragmentTable();

  // For a decoded frame, before it is sharded. A later fragment whose first fragment is
  // known gets its ports (v.fragMatched). Returns the records to hand on after `v`, valid
  // until the next call.
  std::span<const Late> observe(decode::Status st, decode::PacketView& v);
  // Gives up what waited longer than kFragmentTimeout at `now` (cheap: once a second).
  void expire(core::Timestamp now);
  // End of the run: whatever still waits is unmatched.
  void finish();

  [[nodiscard]] const FragmentCounters& counters() const { return counters_; }

private:
  struct Key {
    core::IpAddr src;
    core::IpAddr dst;
    std::uint32_t id = 0;
    std::uint8_t proto = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct Datagram {
    bool used = false;
    bool keyed = false;      // identity holds the ports
    bool haveFirst = false;  // the first fragment came (keyed, or tiny and gathering)
    bool haveLast = false;
    Key key;
    core::Timestamp expires;
    decode::PacketView identity;  // the first fragment's view, without payload
    // A tiny first fragment: transport header bytes gathered so far (bit i of headMask:
    // byte i is known), counted from `base` within the fragmentable part.
    std::array<std::uint8_t, kFragmentHeadBytes> head{};
    std::uint32_t headMask = 0;
    std::uint32_t base = 0;
  };
  struct Pending {
    bool used = false;
    Key key;
    core::Timestamp ts;
    std::uint32_t wireLen = 0;
    bool last = false;         // the datagram's last fragment
    std::uint32_t offset = 0;  // fragOffset, and the first bytes of its data
    std::uint8_t len = 0;
    std::array<std::uint8_t, kFragmentHeadBytes> bytes{};
  };

  static Key keyOf(const decode::PacketView& v);
  Datagram* find(const Key& k, core::Timestamp now, bool insert);
  void hold(const Key& k, const decode::PacketView& v);
  void gather(Datagram& d, std::uint32_t offset, core::Bytes data);
  bool completeHead(Datagram& d);
  // Credits the fragments waiting for `d`; true when its last fragment was among them.
  bool creditPending(const Datagram& d);
  void addLate(decode::Status st, const Datagram& d, core::Timestamp ts, std::uint32_t wireLen);

  std::unique_ptr<std::array<Datagram, kFragmentSlots>> slots_;
  std::array<Pending, kFragmentPending> pending_{};
  std::size_t pendingUsed_ = 0;
  // One per pending fragment, plus a reassembled first fragment's opening record.
  std::array<Late, kFragmentPending + 1> late_{};
  std::size_t lateCount_ = 0;
  std::int64_t lastSweepSecond_ = 0;
  FragmentCounters counters_;
};

}  // namespace rustnet::engine
