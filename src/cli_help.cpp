// The help text's layout. The option list comes from the parser itself, so a flag that is
// added is listed without anyone remembering to; only the headings' order is given here.
#include "cli_help.h"

#include <algorithm>
#include <sstream>

namespace rustnet::cli {

namespace {

constexpr int kIndent = 2;
constexpr int kNameColumn = 27;  // where descriptions start

// "-i, --interface IFACE" / "    --read FILE": short names line up above long ones.
std::string optionNames(const CLI::Option* opt) {
  std::string out;
  for (const auto& s : opt->get_snames()) out += "-" + s + ", ";
  if (out.empty()) out = "    ";
  for (std::size_t i = 0; i < opt->get_lnames().size(); ++i) {
    if (i > 0) out += ", ";
    out += "--" + opt->get_lnames()[i];
  }
  if (!opt->get_option_text().empty()) out += " " + opt->get_option_text();
  return out;
}

void appendOption(std::ostringstream& out, const CLI::Option* opt) {
  const std::string names = std::string(kIndent, ' ') + optionNames(opt);
  const auto lines = wrapWords(opt->get_description(), kHelpWidth - kNameColumn);
  const bool ownLine = static_cast<int>(names.size()) > kNameColumn - 2;
  if (ownLine) out << names << '\n';
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string head = (i == 0 && !ownLine) ? names : std::string();
    head.resize(kNameColumn, ' ');
    out << head << lines[i] << '\n';
  }
}

}  // namespace

std::vector<std::string> wrapWords(const std::string& text, int width) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!line.empty() && static_cast<int>(line.size() + 1 + word.size()) > width) {
      out.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty() || out.empty()) out.push_back(std::move(line));
  return out;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode) const {
  std::ostringstream out;
  for (const auto& l : wrapWords(app->get_description(), kHelpWidth)) out << l << '\n';
  out << "\nUsage: " << name << " [OPTIONS]\n";

  std::vector<std::string> order = groups_;
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_group().empty()) continue;  // hidden on purpose
    if (std::find(order.begin(), order.end(), opt->get_group()) == order.end()) {
      order.push_back(opt->get_group());
    }
  }
  for (const std::string& group : order) {
    const auto opts = app->get_options([&](const CLI::Option* o) { return o->get_group() == group; });
    if (opts.empty()) continue;
    out << '\n' << group << ":\n";
    for (const CLI::Option* opt : opts) appendOption(out, opt);
  }
  const std::string footer = app->get_footer();
  if (!footer.empty()) out << '\n' << footer << '\n';
  return out.str();
}

}  // namespace rustnet::cli
