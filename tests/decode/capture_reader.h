#pragma once
// A minimal capture file reader for tests, so that the decoder can be run over real captures
// without libpcap. It reads classic pcap (either byte order, microsecond or nanosecond magic)
// and pcapng (section header, interface description, enhanced and simple packet blocks; any
// other block is skipped). It does not interpret timestamps or options, and does not
// decompress: the decoder tests need neither.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/cursor.h"
#include "decode/packet.h"

namespace rustnet::decode::testing {

struct CaptureRecord {
  std::uint32_t linkType = 0;  // the file's LINKTYPE_ value for this record's interface
  core::Bytes data;            // aliases Capture::file
  std::uint32_t wireLen = 0;
};

struct Capture {
  std::vector<std::uint8_t> file;
  std::vector<CaptureRecord> records;
  std::string error;  // empty when the file was read to its end
};

// Fills `out`; records read before an error are kept. Returns false on any error.
bool readCapture(const std::filesystem::path& path, Capture& out);

// LINKTYPE_ numbers (as stored in files) for the link types the decoder knows.
LinkType linkTypeFromFile(std::uint32_t linkType);

}  // namespace rustnet::decode::testing
