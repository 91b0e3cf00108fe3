#pragma once
// Reads ../shared/pcaps/truth.tsv (one row per capture, tshark's view) for the DPI tests.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rustnet::test {

using TruthRow = std::map<std::string, std::string>;  // column name → cell
std::vector<TruthRow> readTruth(const std::filesystem::path& tsv);
// "a(3);b;c(2)" → {"a", "b", "c"}.
std::set<std::string> namesOf(const std::string& cell);

}  // namespace rustnet::test
