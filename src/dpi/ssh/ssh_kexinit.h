#pragma once
// SSH_MSG_KEXINIT (RFC 4253 §7.1): the name-lists each side offers, and the algorithm the
// protocol's rule picks from two of them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/cursor.h"
#include "dpi/counters.h"
#include "dpi/ssh/ssh_facts.h"

namespace rustnet::dpi::ssh {

inline constexpr std::uint8_t kMsgKexinit = 20;
inline constexpr std::uint8_t kMsgNewkeys = 21;
// Longest name-list kept per category; longer ones are cut at the last whole name.
inline constexpr std::size_t kMaxSshNameListBytes = 2048;

// The name-lists in wire order (languages are read but not kept).
enum class NameList : std::uint8_t {
  Kex, HostKey, CipherC2s, CipherS2c, MacC2s, MacS2c, CompressionC2s, CompressionS2c, Count,
};
inline constexpr std::size_t kKeptNameLists = static_cast<std::size_t>(NameList::Count);

struct KexInit {
  std::array<std::string, kKeptNameLists> lists;
  [[nodiscard]] const std::string& list(NameList n) const {
    return lists[static_cast<std::size_t>(n)];
  }
};

// Parses a KEXINIT payload after its message-type byte (cookie, name-lists, ...). False
// when it is not well formed.
bool parseKexinit(core::Bytes body, KexInit& out, Counters& counters);

// RFC 4253 §7.1: the first name on the client's list that is also on the server's; empty
// when there is none.
std::string_view negotiate(std::string_view clientList, std::string_view serverList);

// Every category; MACs are left empty when the chosen cipher is an AEAD one (its MAC list
// is not used).
SshAlgorithms negotiateAll(const KexInit& client, const KexInit& server);

}  // namespace rustnet::dpi::ssh
