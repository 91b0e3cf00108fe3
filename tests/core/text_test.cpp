#include "core/text.h"

#include <gtest/gtest.h>

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

TEST(CapWireString, CutsAtCharacterBoundary) {
  EXPECT_EQ(capWireString("abcdef", 4), "abcd");
  EXPECT_EQ(capWireString("ab\xe5\xb0\x8f", 4), "ab");
  EXPECT_EQ(capWireString("short", 100), "short");
}

}  // namespace
}  // namespace rustnet::core
