#include "dpi/ssh/ssh_kexinit.h"

#include "core/text.h"

namespace rustnet::dpi::ssh {
namespace {

constexpr std::size_t kCookieBytes = 16;
constexpr std::size_t kWireNameLists = 10;  // the 8 kept plus two language lists

bool onList(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool isAead(std::string_view cipher) {
  return cipher.find("-gcm") != std::string_view::npos ||
         cipher.starts_with("chacha20-poly1305");
}

}  // namespace

bool parseKexinit(core::Bytes body, KexInit& out, Counters& counters) {
  core::Cursor c(body);
  if (!c.skip(kCookieBytes)) return false;
  for (std::size_t i = 0; i < kWireNameLists; ++i) {
    const auto len = c.be32();
    if (!len) return false;
    const auto bytes = c.take(*len);
    if (!bytes) return false;
    if (i >= kKeptNameLists) continue;
    std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    if (text.size() > kMaxSshNameListBytes) {
      counters.capHit(Cap::SshNameList);
      text = text.substr(0, kMaxSshNameListBytes);
      const auto lastComma = text.rfind(',');
      text = text.substr(0, lastComma == std::string_view::npos ? 0 : lastComma);
    }
    out.lists[i].assign(text);
  }
  // first_kex_packet_follows and the reserved word.
  return c.skip(5);
}

std::string_view negotiate(std::string_view clientList, std::string_view serverList) {
  while (!clientList.empty()) {
    const auto comma = clientList.find(',');
    const auto name = clientList.substr(0, comma);
    if (!name.empty() && onList(serverList, name)) return name;
    if (comma == std::string_view::npos) break;
    clientList.remove_prefix(comma + 1);
  }
  return {};
}

SshAlgorithms negotiateAll(const KexInit& client, const KexInit& server) {
  const auto pick = [&](NameList n) {
    return core::capWireString(negotiate(client.list(n), server.list(n)));
  };
  SshAlgorithms a;
  a.kex = pick(NameList::Kex);
  a.hostKey = pick(NameList::HostKey);
  a.cipherC2s = pick(NameList::CipherC2s);
  a.cipherS2c = pick(NameList::CipherS2c);
  if (!isAead(a.cipherC2s)) a.macC2s = pick(NameList::MacC2s);
  if (!isAead(a.cipherS2c)) a.macS2c = pick(NameList::MacS2c);
  a.compressionC2s = pick(NameList::CompressionC2s);
  a.compressionS2c = pick(NameList::CompressionS2c);
  return a;
}

}  // namespace rustnet::dpi::ssh
