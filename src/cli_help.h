#pragma once
// `rustnet --help` as a man page would put it: options under headings in a set order,
// each with a placeholder that says what to give (FILE, IFACE, MS) rather than a C++
// type, descriptions wrapped to 80 columns, then the examples and keys the footer holds.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace rustnet::cli {

inline constexpr int kHelpWidth = 80;

class HelpFormatter : public CLI::FormatterBase {
public:
  // `groups` is the order of the headings; an option in a group not named there is
  // still listed, under its own heading after them.
  explicit HelpFormatter(std::vector<std::string> groups) : groups_(std::move(groups)) {}

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;

private:
  std::vector<std::string> groups_;
};

// `text` split at spaces into lines of at most `width` columns (a longer word stands alone).
std::vector<std::string> wrapWords(const std::string& text, int width);

}  // namespace rustnet::cli
