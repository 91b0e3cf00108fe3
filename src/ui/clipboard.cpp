#include "ui/clipboard.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

extern char** environ;

namespace rustnet::ui {

namespace {

constexpr auto kToolWait = std::chrono::milliseconds(300);

struct Tool {
  const char* name;
  const char* displayVar;
  std::array<const char*, 4> argv;  // null-terminated
};

constexpr std::array<Tool, 3> kTools{{
    {"wl-copy", "WAYLAND_DISPLAY", {"wl-copy", nullptr, nullptr, nullptr}},
    {"xclip", "DISPLAY", {"xclip", "-selection", "clipboard", nullptr}},
    {"xsel", "DISPLAY", {"xsel", "--clipboard", "--input", nullptr}},
}};

bool onPath(const char* name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    if (!dir.empty()) {
      const std::filesystem::path p = std::filesystem::path(dir) / name;
      if (::access(p.c_str(), X_OK) == 0) return true;
    }
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

// Runs the tool with `text` on its stdin and its output discarded (it must not draw on
// the screen). Waits a little for it to exit; one that lingers is left to finish alone.
bool runTool(const Tool& t, std::string_view text) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, t.name, &fa, nullptr, const_cast<char* const*>(t.argv.data()), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    return false;
  }
  while (!text.empty()) {
    const ssize_t n = ::write(fds[1], text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + kToolWait;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (r < 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;  // still serving the selection in the foreground: take it as done
}

}  // namespace

std::string osc52(std::string_view text) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "\x1b]52;c;";
  std::size_t i = 0;
  for (; i + 3 <= text.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (const std::size_t rest = text.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(text[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(text[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += rest == 2 ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  out += '\x07';
  return out;
}

std::string copyWithTool(std::string_view text) {
  for (const Tool& t : kTools) {
    const char* display = std::getenv(t.displayVar);
    if (display == nullptr || display[0] == '\0' || !onPath(t.name)) continue;
    if (runTool(t, text)) return t.name;
  }
  return {};
}

}  // namespace rustnet::ui
