#include "output/log_file.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/time.h"
#include "output/private_file.h"

namespace rustnet::output {

namespace {
class PrivateFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  explicit PrivateFileSink(PrivateFile f) : file_(std::move(f)) {}

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    (void)file_.write(std::string_view(formatted.data(), formatted.size()));
  }
  void flush_() override {}

private:
  PrivateFile file_;
};
}  // namespace

std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "error") return spdlog::level::err;
  if (lower == "warn") return spdlog::level::warn;
  if (lower == "info") return spdlog::level::info;
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "trace") return spdlog::level::trace;
  return std::nullopt;
}

std::string startFileLogging(spdlog::level::level_enum level, const std::string& dir) {
  ensurePrivateDir(dir);
  const std::string path =
      dir + "/rustnet_" + core::toFileStamp(core::SystemClock().now()) + ".log";
  auto sink = std::make_shared<PrivateFileSink>(PrivateFile::create(path));
  auto logger = std::make_shared<spdlog::logger>("rustnet", std::move(sink));
  logger->set_level(level);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l [%t] %v");
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
  return path;
}

void disableLogging() { spdlog::set_level(spdlog::level::off); }

}  // namespace rustnet::output
