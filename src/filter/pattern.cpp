#include "filter/pattern.h"

#include <fmt/format.h>

#include <array>

namespace rustnet::filter {

std::shared_ptr<const Pattern> Pattern::compile(std::string_view pattern, std::string& error) {
  if (pattern.empty()) {
    error = "empty pattern";
    return nullptr;
  }
  if (pattern.size() > kMaxLength) {
    error = fmt::format("pattern longer than {} characters", kMaxLength);
    return nullptr;
  }
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    if (pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
      error = "back-references (\\1 ...) are not supported";
      return nullptr;
    }
    ++i;  // an escaped backslash does not escape what follows it
  }
  if (pattern.find('\0') != std::string_view::npos) {
    error = "pattern holds a NUL byte";
    return nullptr;
  }
  std::shared_ptr<Pattern> p(new Pattern());
  const std::string text(pattern);  // regcomp wants it NUL-terminated
  const int rc = ::regcomp(&p->re_, text.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
  if (rc != 0) {
    std::array<char, 128> why{};
    ::regerror(rc, &p->re_, why.data(), why.size());
    error = why.data();
    return nullptr;  // regcomp leaves nothing to free when it fails
  }
  p->compiled_ = true;
  return p;
}

Pattern::~Pattern() {
  if (compiled_) ::regfree(&re_);
}

bool Pattern::search(std::string_view text) const {
  // REG_STARTEND bounds the subject by length: no copy to NUL-terminate it, and NUL bytes
  // from the wire do not end it early.
  regmatch_t span{};
  span.rm_so = 0;
  span.rm_eo = static_cast<regoff_t>(text.size());
  static constexpr char kEmpty[] = "";
  const char* data = text.empty() ? kEmpty : text.data();
  return ::regexec(&re_, data, 1, &span, REG_STARTEND) == 0;
}

}  // namespace rustnet::filter
