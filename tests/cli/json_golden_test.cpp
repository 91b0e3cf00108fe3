// `rustnet --read F --json` of every shared capture against a checked-in baseline
// (tests/golden/json/<capture>.ndjson), the way Zeek's btest diffs a run's logs. The
// baselines were made before the front end was reshaped (issue 10), so that reshaping
// cannot change a byte of what users parse. Only the summary's elapsed_secs (wall clock)
// is taken out before comparing.
//
// To accept a deliberate change of the output, rerun with RUSTNET_UPDATE_GOLDEN=1 and read
// the diff of tests/golden/json before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;

fs::path goldenDir() { return fs::path(RUSTNET_GOLDEN_JSON_DIR); }

// The run's wall-clock time is the one field that differs between two runs of a file.
std::string withoutElapsed(const std::string& out) {
  static const std::regex kElapsed(R"("elapsed_secs":[0-9.eE+-]+,)");
  return std::regex_replace(out, kElapsed, "");
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first line where the two outputs differ, for a readable failure.
std::string firstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want);
  std::istringstream b(got);
  std::string la;
  std::string lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la));
    const bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "no difference";
    if (!ha || !hb || la != lb) {
      return "line " + std::to_string(line) + "\n  want: " + (ha ? la : "<end>") + "\n  got:  " +
             (hb ? lb : "<end>");
    }
  }
}

TEST(JsonGolden, EveryCaptureMatchesItsBaseline) {
  const fs::path dir = pcapDir();
  if (dir.empty()) GTEST_SKIP() << "no shared captures (../shared/pcaps)";
  const bool update = std::getenv("RUSTNET_UPDATE_GOLDEN") != nullptr;
  if (update) fs::create_directories(goldenDir());
  int compared = 0;
  for (const fs::path& file : captureFiles()) {
    const std::string name = file.filename().string();
    // Run from the capture folder with a relative name: the summary's "file" is then the
    // same on every machine. One worker: events come in one deterministic order.
    const auto r = runCommand("cd '" + dir.string() + "' && '" + rustnetBinary().string() +
                              "' --read '" + name + "' --json --workers 1 2>/dev/null");
    const std::string got = withoutElapsed(r.out);
    const fs::path baseline = goldenDir() / (name + ".ndjson");
    if (update) {
      std::ofstream(baseline, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(baseline)) << name << ": no baseline; run with RUSTNET_UPDATE_GOLDEN=1";
    const std::string want = readFile(baseline);
    EXPECT_TRUE(want == got) << name << ": " << firstDifference(want, got);
    ++compared;
  }
  if (!update) {
    EXPECT_GT(compared, 50) << "too few captures compared";
  }
}

}  // namespace
}  // namespace rustnet::test
