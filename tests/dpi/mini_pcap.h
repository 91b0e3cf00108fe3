#pragma once
// A test-only reader for pcap and pcapng files (gzip-compressed ones too), so that DPI tests
// can replay the shared captures without libpcap. Reads the whole file into memory; throws
// on I/O errors (tests only), stops quietly at a truncated record.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/time.h"
#include "decode/packet.h"

namespace rustnet::test {

struct PcapPacket {
  decode::LinkType link = decode::LinkType::Unsupported;
  core::Timestamp ts;
  std::uint32_t wireLen = 0;
  std::vector<std::uint8_t> data;
};

std::vector<PcapPacket> readCapture(const std::filesystem::path& file);

// DLT / LINKTYPE number to the decoder's link type.
decode::LinkType linkFromDlt(std::uint32_t dlt);

}  // namespace rustnet::test
