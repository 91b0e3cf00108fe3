#pragma once
// SSH, recognised by the "SSH-" identification string in either direction.
#include <cstddef>

#include "dpi/registry.h"

namespace rustnet::dpi::ssh {

// Identification line (RFC 4253 §4.2 allows 255 bytes including CR LF), plus the lines a
// server may send before it.
inline constexpr std::size_t kMaxSshBannerBytes = 1024;
// KEXINIT packet reassembled across segments, per direction.
inline constexpr std::size_t kMaxSshKexinitBytes = 16384;

extern const AnalyzerEntry kEntry;

}  // namespace rustnet::dpi::ssh
