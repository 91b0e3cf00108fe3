#include "truth_table.h"

#include <fstream>
#include <sstream>

namespace rustnet::test {

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}
}  // namespace

std::vector<TruthRow> readTruth(const std::filesystem::path& tsv) {
  std::ifstream in(tsv);
  std::string line;
  std::vector<TruthRow> rows;
  if (!std::getline(in, line)) return rows;
  const auto header = split(line, '\t');
  while (std::getline(in, line)) {
    const auto cells = split(line, '\t');
    TruthRow row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < cells.size() ? cells[i] : "";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::set<std::string> namesOf(const std::string& cell) {
  std::set<std::string> out;
  for (auto item : split(cell, ';')) {
    if (item.empty()) continue;
    // Strip a trailing "(count)".
    if (item.back() == ')') {
      const auto open = item.rfind('(');
      if (open != std::string::npos && open + 2 < item.size() &&
          item.find_first_not_of("0123456789", open + 1) == item.size() - 1) {
        item.erase(open);
      }
    }
    out.insert(item);
  }
  return out;
}

}  // namespace rustnet::test
