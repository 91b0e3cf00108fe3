#pragma once
// What the capture thread hands a worker for each frame: the frame is decoded once, on the
// capture thread (which must decode anyway to pick a worker when there are several), and
// the ring record carries the decoder's result followed by the transport payload, the
// only frame bytes a worker still reads (DPI). The worker re-points the view's payload at
// those bytes.
#include <cstring>
#include <type_traits>

#include "core/cursor.h"
#include "decode/packet.h"

namespace rustnet::engine {

struct PacketHead {
  decode::PacketView view;  // payload empty here: the bytes follow the head
  decode::Status status = decode::Status::Ok;
};
static_assert(std::is_trivially_copyable_v<PacketHead>, "PacketHead is copied into the ring as bytes");

// The payload that travels with a decoded frame: only Ok packets have one anyone reads.
inline core::Bytes recordPayload(decode::Status st, const decode::PacketView& v) {
  return st == decode::Status::Ok ? v.payload : core::Bytes{};
}

// Fills `head` from a decoded frame; the result's bytes are the record's head part.
inline void packHead(decode::Status st, const decode::PacketView& v, PacketHead& head) {
  head.view = v;
  head.view.payload = {};
  head.status = st;
}

inline core::Bytes headBytes(const PacketHead& head) {
  return core::Bytes(reinterpret_cast<const std::uint8_t*>(&head), sizeof head);
}

// Reads a record written as headBytes() + payload. False when it is too short to be one.
inline bool unpackRecord(core::Bytes record, decode::Status& st, decode::PacketView& v) {
  if (record.size() < sizeof(PacketHead)) return false;
  PacketHead head;
  std::memcpy(&head, record.data(), sizeof head);
  v = head.view;
  v.payload = record.subspan(sizeof head);
  st = head.status;
  return true;
}

}  // namespace rustnet::engine
