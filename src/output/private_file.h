#pragma once
// Files we write (logs, --json-log) are created 0600 and never through a symlink: an
// attacker who can write to the directory must not redirect our output elsewhere.
#include <string>
#include <string_view>

namespace rustnet::output {

class PrivateFile {
public:
  // Opens `path` for writing (truncating), creating it 0600. Refuses symlinks and anything
  // that is not a regular file. Throws std::runtime_error with a one-line reason.
  static PrivateFile create(const std::string& path);

  PrivateFile() = default;
  PrivateFile(PrivateFile&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  PrivateFile& operator=(PrivateFile&& o) noexcept;
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;
  ~PrivateFile();

  // Writes all of `data` (retrying short writes). False on an I/O error.
  bool write(std::string_view data);
  [[nodiscard]] bool isOpen() const { return fd_ >= 0; }
  [[nodiscard]] const std::string& path() const { return path_; }

private:
  int fd_ = -1;
  std::string path_;
};

// Creates `dir` 0700 when missing; refuses a symlink or a non-directory. Throws.
void ensurePrivateDir(const std::string& dir);

}  // namespace rustnet::output
