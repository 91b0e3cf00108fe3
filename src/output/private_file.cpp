#include "output/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace rustnet::output {

PrivateFile PrivateFile::create(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP) {
      throw std::runtime_error(fmt::format("refusing to write '{}': it is a symbolic link", path));
    }
    throw std::runtime_error(fmt::format("cannot create '{}': {}", path, std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(fmt::format("refusing to write '{}': not a regular file", path));
  }
  // A file that already existed keeps our data private too.
  (void)::fchmod(fd, 0600);
  PrivateFile f;
  f.fd_ = fd;
  f.path_ = path;
  return f;
}

PrivateFile& PrivateFile::operator=(PrivateFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

PrivateFile::~PrivateFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool PrivateFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void ensurePrivateDir(const std::string& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      throw std::runtime_error(fmt::format("refusing to use '{}': it is a symbolic link", dir));
    }
    if (!S_ISDIR(st.st_mode)) {
      throw std::runtime_error(fmt::format("cannot use '{}': not a directory", dir));
    }
    return;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw std::runtime_error(fmt::format("cannot create directory '{}': {}", dir, std::strerror(errno)));
  }
}

}  // namespace rustnet::output
