#pragma once
// A `/regex/` filter term's compiled pattern: POSIX extended, case-insensitive, compiled
// once when the query is parsed. POSIX matching (glibc's DFA-based engine) does not
// backtrack on alternation or repetition, so a hostile row cannot make one match take
// exponential time; back-references, the one construct that would, are refused, and the
// pattern's length is capped.
#include <memory>
#include <string>
#include <string_view>

#include <regex.h>

namespace rustnet::filter {

class Pattern {
public:
  // Named cap on a pattern's length, in bytes between the slashes.
  static constexpr std::size_t kMaxLength = 256;

  // The compiled pattern, or null with `error` saying why ("unmatched ( or \\(" ...).
  static std::shared_ptr<const Pattern> compile(std::string_view pattern, std::string& error);

  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;
  ~Pattern();

  // True when the pattern matches somewhere in `text` (which may hold any bytes).
  [[nodiscard]] bool search(std::string_view text) const;

private:
  Pattern() = default;
  regex_t re_{};
  bool compiled_ = false;
};

}  // namespace rustnet::filter
