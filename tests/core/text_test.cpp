#include "core/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace rustnet::core {
namespace {

TEST(EscapeControl, LeavesPrintableTextAlone) {
  EXPECT_EQ(escapeControl(std::string_view("www.example.com")), "www.example.com");
  EXPECT_EQ(escapeControl(std::string_view("小佛專機")), "小佛專機");
}

TEST(EscapeControl, EscapesControlsAndBackslash) {
  EXPECT_EQ(escapeControl(std::string_view("a\x1b[31mb")), "a\\x1b[31mb");
  EXPECT_EQ(escapeControl(std::string_view("x\ny\r\t\x7f")), "x\\x0ay\\x0d\\x09\\x7f");
  EXPECT_EQ(escapeControl(std::string_view("a\\b")), "a\\\\b");
  EXPECT_EQ(escapeControl(std::string_view("nul\0!", 5)), "nul\\x00!");
}

TEST(EscapeControl, EscapesInvalidUtf8AndC1AndBidi) {
  EXPECT_EQ(escapeControl(std::string_view("\xff\xfe")), "\\xff\\xfe");
  EXPECT_EQ(escapeControl(std::string_view("\xc2\x9b")), "\\xc2\\x9b");          // C1 CSI
  EXPECT_EQ(escapeControl(std::string_view("\xe2\x80\xae")), "\\xe2\\x80\\xae");  // RLO
  EXPECT_EQ(escapeControl(std::string_view("\xe4\xbd")), "\\xe4\\xbd");          // cut sequence
  EXPECT_EQ(escapeControl(std::string_view("\xc0\xaf")), "\\xc0\\xaf");          // overlong
}

// The byte-at-a-time escaper that escapeControl used before the run-copying fast path: the
// oracle the fast path must match byte for byte.
std::string referenceEscape(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<std::uint8_t>(raw[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\') out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t next = i;
      const char32_t cp = decodeUtf8(raw, next);
      const bool unsafe = (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
      if (next - i >= 2 && !unsafe) {
        out.append(raw.substr(i, next - i));
        i = next;
        continue;
      }
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
    ++i;
  }
  return out;
}

// What the JSON writer did to the escaped text before (output::JsonLine::appendQuoted minus
// the quotes): the text has no controls left, so only '"' and '\\' change.
std::string referenceJson(std::string_view escaped) {
  std::string out;
  for (const char ch : escaped) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// Random strings weighted towards the bytes that matter: controls, DEL, quote, backslash,
// C1 and bidi sequences, lead bytes without their continuation, valid multi-byte text.
std::string randomWireString(std::mt19937& rng) {
  static const std::string_view kPieces[] = {
      "\xc2\x9b", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe5\xb0\x8f", "\xf0\x9f\x98\x80", "\xc3\xa9",
      "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xbd", "\"", "\\", "www.example.com"};
  std::uniform_int_distribution<int> len(0, 40);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  std::string s;
  for (int k = len(rng); k > 0; --k) {
    switch (kind(rng)) {
      case 0: s += static_cast<char>(byte(rng) & 0x1f); break;
      case 1: s += static_cast<char>(0x7f); break;
      case 2:
      case 3: s += kPieces[piece(rng)]; break;
      case 4:
      case 5: s += static_cast<char>(byte(rng)); break;
      default: s += static_cast<char>(0x20 + byte(rng) % 0x5f); break;
    }
  }
  return s;
}

TEST(AppendEscaped, MatchesTheByteAtATimeEscaperOnRandomBytes) {
  std::mt19937 rng(6);
  for (int k = 0; k < 100'000; ++k) {
    const std::string raw = randomWireString(rng);
    const std::string expected = referenceEscape(raw);
    ASSERT_EQ(escapeControl(raw), expected) << k;
    std::string out = "keep|";
    appendEscaped(out, raw);
    ASSERT_EQ(out, "keep|" + expected) << k;
    std::string json = "keep|";
    appendEscapedJson(json, raw);
    ASSERT_EQ(json, "keep|" + referenceJson(expected)) << k;
  }
}

TEST(AppendEscaped, EveryByteAloneAndInsideText) {
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const std::string mid = "ab" + one + "cd";
    std::string out;
    appendEscaped(out, one);
    EXPECT_EQ(out, referenceEscape(one)) << b;
    out.clear();
    appendEscaped(out, mid);
    EXPECT_EQ(out, referenceEscape(mid)) << b;
    out.clear();
    appendEscapedJson(out, mid);
    EXPECT_EQ(out, referenceJson(referenceEscape(mid))) << b;
    // Nothing below 0x20, DEL or a lone high byte survives unescaped.
    if (b < 0x20 || b >= 0x7f) {
      EXPECT_EQ(referenceEscape(one).substr(0, 2), "\\x") << b;
    }
  }
}

TEST(AppendEscaped, JsonFormOfQuotesBackslashesAndEscapes) {
  std::string out;
  appendEscapedJson(out, std::string_view("a\"b\\c\x1b\xff\xe5\xb0\x8f"));
  EXPECT_EQ(out, "a\\\"b\\\\\\\\c\\\\x1b\\\\xff\xe5\xb0\x8f");
}

TEST(CapWireString, CutsAtCharacterBoundary) {
  EXPECT_EQ(capWireString("abcdef", 4), "abcd");
  EXPECT_EQ(capWireString("ab\xe5\xb0\x8f", 4), "ab");
  EXPECT_EQ(capWireString("short", 100), "short");
}

}  // namespace
}  // namespace rustnet::core
